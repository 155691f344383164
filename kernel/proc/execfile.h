/* kernel/proc/execfile.h: finding and reading the program execve runs: the
 * path is routed like open (any scheme the process may use, symbolic links
 * followed by the scheme), the file must be a regular file with an execute
 * bit, and its bytes are read into kernel memory. `#!` scripts name their
 * interpreter, which is looked up the same way. */
#ifndef ANVIL_PROC_EXECFILE_H
#define ANVIL_PROC_EXECFILE_H

#include <stddef.h>
#include <stdint.h>

#include "fs/path.h"
#include "proc/exec.h"

#define EXEC_FILE_MAX (64ul << 20)   /* a bigger program is ENOMEM */
#define EXEC_NEST_MAX 4              /* #! interpreters that are scripts themselves (Linux: 4) */
#define EXEC_LINE_MAX 256            /* the #! line read (Linux's BINPRM_BUF_SIZE) */

struct exec_image {
    uint8_t *data;                   /* the ELF file, kmalloc'd */
    size_t size;
    char path[PATH_MAX_LEN];         /* its canonical path ("/bin/busybox", "initfs:/bin/init") */
};

/* The program path names for p, following #! lines: its bytes in *img and,
 * for a script, the interpreter's arguments in *script (script->buf NULL
 * otherwise; free both with exec_image_put and exec_args_free). 0, -ENOENT,
 * -EACCES (not a regular file, no execute bit, not readable into the
 * kernel), -ENOEXEC (a bad #! line), -ELOOP (#! nested too deep), -ENOMEM,
 * -E2BIG, or the scheme's error. */
int exec_image_get(struct proc *p, const char *path, const struct exec_args *a,
                   struct exec_image *img, struct exec_args *script);
void exec_image_put(struct exec_image *img);

#endif
