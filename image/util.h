/* image/util.h: small host helpers shared by mkimage's parts: messages, memory,
 * growable strings, files written atomically, and running external programs. */
#ifndef ANVIL_IMAGE_UTIL_H
#define ANVIL_IMAGE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Verbosity: 0 quiet, 1 progress lines (default), 2 every command. */
extern int util_verbosity;

void util_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable, always NUL-terminated byte string. */
struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};

void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);

/* A NULL-terminated argument vector that grows. */
struct argv {
    char **v;
    size_t len;
    size_t cap;
};

void argv_add(struct argv *a, const char *s);
void argv_addf(struct argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool argv_has(const struct argv *a, const char *word);
void argv_free(struct argv *a);

/* Whole-file I/O. util_read_file returns NULL and sets errno on failure. */
char *util_read_file(const char *path, size_t *len);
/* Write to PATH.tmp-PID, fsync, rename over PATH: readers never see half a file. */
int util_write_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* The same without fsync: for files a crash may lose (scratch, cache fetches). */
int util_write_scratch(const char *path, const void *data, size_t len, unsigned mode);
/* pwrite all of buf at off, naming path in the error; 0 or -1. */
int util_pwrite_all(int fd, const char *path, const void *buf, size_t len, uint64_t off);
int util_rename_into(const char *tmp, const char *path);
int util_mkdirs(const char *path, unsigned mode);
int util_remove_tree(const char *path);
bool util_is_file(const char *path);
bool util_is_dir(const char *path);
char *util_dirname(const char *path);
char *util_path_join(const char *dir, const char *name);

/* Run argv (argv[0] looked up in PATH); returns the exit status, or -1 when it
 * could not start. Output goes where ours goes unless quiet_stdout is set. */
int util_run(char *const argv[], bool quiet_stdout);
/* Like util_run but captures stdout and stderr into out. */
int util_run_capture(char *const argv[], struct strbuf *out);
/* Run argv keeping its stdout and stderr to ourselves unless it fails. */
int util_run_logged(char *const argv[]);
void util_print_command(char *const argv[]);

/* FNV-1a 64-bit: image identifiers and reproducible GUIDs, not security. */
uint64_t util_fnv1a(uint64_t h, const void *data, size_t len);
#define UTIL_FNV_INIT 0xcbf29ce484222325ULL

/* The build's fixed time: SOURCE_DATE_EPOCH when set, else a constant. */
long long util_source_date_epoch(void);

#endif
