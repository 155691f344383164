/* kernel/proc/exec.c: execve. The new image and its initial stack are built
 * in a fresh address space; only when that worked is the old one dropped.
 * Stack layout from the x86_64 psABI §3.4.1: argc, argv[], NULL, envp[],
 * NULL, auxv pairs, AT_NULL, then the strings and 16 random bytes. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "lib/errno.h"
#include "lib/random.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/cmdline.h"
#include "proc/elf.h"
#include "proc/exec.h"
#include "proc/futex.h"
#include "proc/execfile.h"
#include "proc/rlimit.h"
#include "proc/signal.h"
#include "proc/vm_copy.h"
#include "sched/sched.h"
#include "sysv/sysv.h"

#define STACK_TOP VM_USER_END
#define RFLAGS_IF 0x202ul
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#define AUXV_PAIRS 18
#define PLATFORM "x86_64"
#define RANDOM_BYTES 16

/* Written at boot, read-only after. */
static uint8_t initial_fpu[512] __attribute__((aligned(16)));

void exec_init_fpu(void)
{
    x86_fxsave(initial_fpu);
}

static int append(struct exec_args *a, const char *s, size_t n)
{
    if (a->len + n + 1 > EXEC_ARGS_MAX)
        return -E2BIG;
    memcpy(a->buf + a->len, s, n);
    a->buf[a->len + n] = '\0';
    a->len += n + 1;
    return 0;
}

/* Copy a NULL-terminated user array of strings; *count gets its length. */
static int copy_strings(struct exec_args *a, uintptr_t uarr, int *count)
{
    *count = 0;
    if (!uarr)
        return 0;
    for (;;) {
        uintptr_t up;
        long n;
        if (*count >= EXEC_ARGV_MAX)
            return -E2BIG;
        if (copy_from_user(&up, uarr + (size_t)*count * 8, 8) < 0)
            return -EFAULT;
        if (!up)
            return 0;
        if (a->len >= EXEC_ARGS_MAX)
            return -E2BIG;
        n = strncpy_from_user(a->buf + a->len, up, EXEC_ARGS_MAX - a->len);
        if (n < 0)
            return n == -ENAMETOOLONG ? -E2BIG : (int)n;
        a->len += (size_t)n + 1;
        (*count)++;
    }
}

int exec_args_from_user(struct exec_args *a, uintptr_t uargv, uintptr_t uenvp)
{
    int err;

    memset(a, 0, sizeof(*a));
    a->buf = kmalloc(EXEC_ARGS_MAX);
    if (!a->buf)
        return -ENOMEM;
    err = copy_strings(a, uargv, &a->argc);
    if (!err)
        err = copy_strings(a, uenvp, &a->envc);
    if (err)
        exec_args_free(a);
    return err;
}

int exec_args_from_kernel(struct exec_args *a, const char *const *argv, int argc)
{
    memset(a, 0, sizeof(*a));
    a->buf = kmalloc(EXEC_ARGS_MAX);
    if (!a->buf)
        return -ENOMEM;
    for (int i = 0; i < argc; i++) {
        if (append(a, argv[i], strlen(argv[i])) < 0) {
            exec_args_free(a);
            return -E2BIG;
        }
        a->argc++;
    }
    return 0;
}

void exec_args_free(struct exec_args *a)
{
    kfree(a->buf);
    a->buf = NULL;
}

static size_t aux_fill(uint64_t *aux, const struct elf_image *img, uintptr_t random,
                       uintptr_t platform, uintptr_t execfn)
{
    uint64_t pairs[][2] = {
        {AT_PHDR, img->phdr},   {AT_PHENT, img->phent}, {AT_PHNUM, img->phnum},
        {AT_PAGESZ, VM_PAGE_SIZE}, {AT_BASE, 0},       {AT_FLAGS, 0},
        {AT_ENTRY, img->entry}, {AT_UID, 0},            {AT_EUID, 0},
        {AT_GID, 0},            {AT_EGID, 0},           {AT_PLATFORM, platform},
        {AT_HWCAP, x86_cpuid(1).edx}, {AT_CLKTCK, 100}, {AT_SECURE, 0},
        {AT_RANDOM, random},    {AT_EXECFN, execfn},    {AT_NULL, 0},
    };
    _Static_assert(sizeof(pairs) / sizeof(pairs[0]) == AUXV_PAIRS, "auxv size");
    memcpy(aux, pairs, sizeof(pairs));
    return AUXV_PAIRS * 2;
}

/* Build the initial stack in vs; returns the entry rsp or 0 on error. */
static uintptr_t build_stack(struct vm_space *vs, const struct exec_args *a,
                             const struct elf_image *img)
{
    size_t words = 1 + (size_t)a->argc + 1 + (size_t)a->envc + 1 + AUXV_PAIRS * 2;
    uint64_t *vec = kmalloc(words * 8);
    uintptr_t strings = STACK_TOP - a->len, sp;
    uintptr_t platform = (strings - sizeof(PLATFORM)) & ~(uintptr_t)15;
    uintptr_t random = platform - RANDOM_BYTES;
    uint8_t rnd[RANDOM_BYTES];
    size_t w = 0, off = 0;

    if (!vec)
        return 0;
    sp = (random - words * 8) & ~(uintptr_t)15;
    vec[w++] = (uint64_t)a->argc;
    for (int i = 0; i < a->argc + a->envc; i++) {
        if (i == a->argc)
            vec[w++] = 0;   /* argv's terminator */
        vec[w++] = strings + off;
        off += strlen(a->buf + off) + 1;
    }
    if (a->envc == 0)
        vec[w++] = 0;
    vec[w++] = 0;           /* envp's terminator */
    random_mix(x86_rdtsc());   /* each exec's AT_RANDOM: fresh key stream, plus the time */
    random_fill(rnd, sizeof(rnd));
    w += aux_fill(vec + w, img, random, platform, strings);
    if (vm_copy_out(vs, strings, a->buf, a->len) < 0 ||
        vm_copy_out(vs, platform, PLATFORM, sizeof(PLATFORM)) < 0 ||
        vm_copy_out(vs, random, rnd, sizeof(rnd)) < 0 || vm_copy_out(vs, sp, vec, w * 8) < 0)
        sp = 0;
    kfree(vec);
    return sp;
}

static int load(const struct exec_image *prog, const struct exec_args *a, size_t stack,
                struct vm_space **out, struct elf_image *img, uintptr_t *sp)
{
    struct vm_space *vs = vm_space_create();
    int err;

    if (!vs)
        return -ENOMEM;
    err = elf_load(vs, prog->data, prog->size, img);
    if (!err)
        err = vm_map(vs, STACK_TOP - stack, stack, VM_READ | VM_WRITE);
    if (!err && !(*sp = build_stack(vs, a, img)))
        err = -ENOMEM;
    if (err) {
        vm_space_put(vs);
        return err;
    }
    vs->brk_base = vs->brk = img->end;
    *out = vs;
    return 0;
}

static void reset_thread(struct thread *t, const struct elf_image *img, uintptr_t sp)
{
    memset(t->frame, 0, sizeof(*t->frame));
    t->frame->rip = img->entry;
    t->frame->rsp = sp;
    t->frame->cs = X86_SEL_UCODE;
    t->frame->ss = X86_SEL_UDATA;
    t->frame->rflags = RFLAGS_IF;
    t->frame->vector = X86_VECTOR_SYSCALL_IRET;
    t->fs_base = 0;
    t->robust_list = 0;
    t->altstack_sp = 0;
    t->altstack_size = 0;
    memcpy(t->fpu, initial_fpu, sizeof(t->fpu));
    if (t == sched_current()) {
        x86_fxrstor(t->fpu);
        x86_wrmsr(X86_MSR_FS_BASE, 0);
    }
}

static void set_name(struct proc *p, const char *abs)
{
    const char *base = abs;

    for (const char *c = abs; *c; c++)
        if (*c == '/')
            base = c + 1;
    strlcpy(p->name, base, sizeof(p->name));
}

/* Robust futexes p's threads hold in the old image are released as at
 * exit (Linux does so at exec), while that image is still the active space. */
static void release_robust(struct proc *p)
{
    for (struct thread *o = sched_threads(); o; o = o->all_next) {
        if (o->proc != p || o->state == THREAD_DEAD)
            continue;
        if (p->vm && p->vm == vm_current())
            futex_exit_robust(o);
        o->robust_list = 0;
    }
}

/* The other threads of p die: the old image they run in is going away. */
static void kill_other_threads(struct proc *p, struct thread *self)
{
    for (struct thread *o = sched_threads(); o; o = o->all_next) {
        if (o->proc != p || o == self || o->state == THREAD_DEAD)
            continue;
        o->killed = true;
        o->clear_child_tid = 0;
        sched_interrupt(o);
    }
}

int proc_exec(struct proc *p, struct thread *t, const char *path, const struct exec_args *a)
{
    struct vm_space *vs, *old = p->vm;
    struct exec_args script;
    struct exec_image prog;
    struct elf_image img;
    uintptr_t sp;
    int err = exec_image_get(p, path, a, &prog, &script);

    if (err)
        return err;
    if (script.buf)
        a = &script;   /* a #! script: the interpreter's arguments */
    err = load(&prog, a, rlimit_stack_size(p), &vs, &img, &sp);
    exec_image_put(&prog);
    if (err) {
        exec_args_free(&script);
        return err;
    }
    release_robust(p);
    kill_other_threads(p, t);
    p->vm = vs;
    if (t == sched_current())
        vm_activate(vs);
    if (old && old->refs == 1)
        sysv_shm_space_gone(old);
    if (old)
        vm_space_put(old);
    reset_thread(t, &img, sp);
    set_name(p, path);
    proc_cmdline_set(p, prog.path, a->buf, a->argc);   /* for /proc/PID/cmdline and exe */
    exec_args_free(&script);
    signal_reset_on_exec(p);
    p->did_exec = true;
    fd_close_on_exec(p);
    if (!p->vfork_done) {
        p->vfork_done = true;
        sched_wakeup(&p->vfork_done);
    }
    return 0;
}
