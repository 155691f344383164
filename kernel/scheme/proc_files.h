/* kernel/scheme/proc_files.h: the files of the proc: scheme, each a
 * snapshot made at open; proc.c routes a path to one of them. */
#ifndef ANVIL_SCHEME_PROC_FILES_H
#define ANVIL_SCHEME_PROC_FILES_H

#include "fs/file.h"
#include "proc/proc.h"
#include "scheme/textfile.h"

#define PROC_SCHEME "proc"

/* proc_sys.c: the files about the whole system (meminfo, uptime, ...). */
typedef void (*proc_fill_fn)(struct textbuf *tb);
/* The fill function of the system file called name, or NULL. */
proc_fill_fn proc_sys_find(const char *name);
/* Add every system file to a directory listing. */
void proc_sys_list(struct textbuf *tb);

/* proc_cpuinfo.c: /proc/cpuinfo. */
void proc_cpuinfo(struct textbuf *tb);

/* proc_pid.c: rest is the path inside process p's folder ("" for the
 * folder itself), canon that folder's canonical path ("proc:/12"). */
int proc_pid_open(struct proc *p, const char *rest, unsigned flags, unsigned mode,
                  const char *canon, struct file **out);
/* The target of the symbolic link rest in p's folder (exe, cwd, fd/N) into
 * buf (NUL-terminated, cut to size): its length, or -ENOSYS when rest is no
 * link (a zombie has none). */
long proc_pid_link(struct proc *p, const char *rest, char *buf, size_t size);

#endif
