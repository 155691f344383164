/* image/tools.h: finds the external programs and data files mkimage drives, and
 * names the Debian package that provides any that are missing. */
#ifndef ANVIL_IMAGE_TOOLS_H
#define ANVIL_IMAGE_TOOLS_H

#include <stdbool.h>

/* 0 when every program in names (NULL-terminated) is on PATH; otherwise prints
 * one line per missing program with its package and returns -1. */
int tools_need(const char *const names[]);
/* 0 when the file exists; otherwise prints which package provides it. */
int tools_need_file(const char *path);
bool tools_on_path(const char *name);
/* The program's full path from PATH, or NULL (caller frees). */
char *tools_find(const char *name);

#endif
