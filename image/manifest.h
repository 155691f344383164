/* image/manifest.h: the resolved, validated manifest: config.toml with one
 * variant and the --set overrides applied. Everything later reads only this. */
#ifndef ANVIL_IMAGE_MANIFEST_H
#define ANVIL_IMAGE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "toml.h"
#include "util.h"

enum mf_format {
    MF_FORMAT_ISO = 1 << 0,
    MF_FORMAT_DISK = 1 << 1,
};

enum mf_on_exit {
    MF_ON_EXIT_STAY,
    MF_ON_EXIT_POWEROFF,
    MF_ON_EXIT_RESPAWN,     /* init starts the run program again (a console login) */
};
/* Their names in config.toml and the service table, NULL-terminated. */
extern const char *const mf_on_exit_names[];

#define MF_ROOT_SIZE_DEFAULT 64     /* MiB: room to spare beside BusyBox and friends */
#define MF_ROOT_SIZE_MIN 40         /* MiB: FAT32 needs 65525 clusters (512 bytes each here) */
#define MF_ROOT_SIZE_MAX 2048

enum mf_root {
    MF_ROOT_INITFS,     /* the root tree is the initfs itself (test rigs) */
    MF_ROOT_RAMFS,      /* the root tree is an archive in the initfs, unpacked by ramfsd */
    MF_ROOT_LIVE,       /* the root tree is a FAT32 volume in the initfs, served by fatd from RAM */
    MF_ROOT_DISK,       /* that volume in the disk's root partition, served in place by fatd;
                           the initfs keeps its copy for when no driver finds the disk */
};

/* The root tree is a FAT32 volume (live or disk). */
#define MF_ROOT_IS_FAT(m) ((m)->root == MF_ROOT_LIVE || (m)->root == MF_ROOT_DISK)

enum mf_file_kind { MF_FILE_REGULAR, MF_FILE_DIR, MF_FILE_LINK };

/* One [[files]] entry (or [tree] name): a file, folder or symlink in the image's
 * root tree. */
struct mf_file {
    char *path;         /* absolute path inside the image */
    enum mf_file_kind kind;
    char *source;       /* host path (resolved against the config's folder), or NULL */
    char *text;         /* inline contents, or NULL */
    char *link;         /* a symlink's target, or NULL */
    unsigned mode;      /* permission bits */
    bool boot;          /* needed before the root is served: always in the initfs */
    struct toml_pos pos;
};

/* One [packages.NAME]: C programs compiled with musl and installed in the image. */
struct mf_package {
    char *name;
    char *source;       /* host folder of .c files (default pkgs/NAME), resolved */
    char *install;      /* image path: the program, or the folder when each is set */
    bool each;          /* one program per .c file, instead of one from all of them */
    char *cc;           /* "tcc" or "gcc" */
    char *build;        /* a recipe script in source (upstream code), or NULL */
    char *lib;          /* a folder of .c files compiled in too (services/lib), or NULL */
    char *links_from;   /* an option that makes the built program list its links, or NULL */
    bool boot;          /* a service's program: always in the initfs */
    char **cflags;
    size_t cflags_len;
    struct toml_pos pos;
};

enum mf_restart { MF_RESTART_ALWAYS, MF_RESTART_ON_FAILURE, MF_RESTART_NEVER };

/* What a driver drives: a PCI class code (24 bits: class, subclass,
 * programming interface), vendor and device id; MF_MATCH_ANY matches all. */
#define MF_MATCH_ANY (-1)
struct mf_match {
    long class, vendor, device;
};

/* One [services.NAME] or [drivers.NAME]: a daemon init starts and supervises. */
struct mf_service {
    char *name;
    char *program;      /* the program's path in the image */
    char *source;       /* host folder it is built from (services/PROGRAM), or NULL */
    struct argv args;
    struct argv provides;   /* schemes it registers */
    struct argv uses;       /* its namespace */
    struct argv grants;     /* memory:A-B, irq:N, ioport:A-B */
    struct argv after;      /* services that must be ready first */
    enum mf_restart restart;
    bool oneshot;
    bool driver;            /* a [drivers.NAME]: init starts it when pcid finds its device */
    struct mf_match match;  /* a driver's device */
    struct toml_pos pos;
};

struct mf_variant {
    char *name;
    char *description;
};

struct manifest {
    char *config_path;      /* as given on the command line */
    char *config_dir;       /* folder that relative sources resolve against */
    char *variant;          /* chosen variant, or "base" */

    char *image_name;
    unsigned formats;       /* enum mf_format bits */
    enum mf_root root;      /* [image] root */
    struct toml_pos root_pos;
    unsigned root_size_mib; /* [image] root_size: the FAT32 root volume (live) */

    char **features;        /* [kernel] features, in the order written */
    size_t features_len;
    int timer_hz;
    char *cmdline;          /* extra kernel command-line words */

    char *cc;               /* [build] cc: "tcc" or "gcc", for userspace */
    int jobs;               /* [build] jobs: 0 = number of cores */

    char *keymap;           /* [console] keymap: "us", "de", "fr" or "uk" */
    char *font;             /* [console] font: a console-setup font name, or NULL:
                             * the default pair (image/fonts.c) */
    struct argv terminals;  /* [console] ttys beyond the console: "vt2".."vt4" */
    char *net_address;      /* [network] address: "dhcp" or "A.B.C.D/PREFIX" (image/network.c) */
    char *net_gateway;      /* [network] gateway, dns: "A.B.C.D" or "none" */
    char *net_dns;
    struct toml_pos ttys_pos;

    enum mf_on_exit on_exit;
    char *run;              /* [init] run: "/bin/prog args", or NULL */
    struct argv init_grants;  /* [init] grants: the run program's (services.c) */

    struct mf_file *files;
    size_t files_len;

    struct mf_package *packages;  /* enabled ones, sorted by name */
    size_t packages_len;

    struct mf_service *services;  /* in dependency order */
    size_t services_len;

    struct mf_variant *variants;  /* every [variants.NAME], in file order */
    size_t variants_len;
};

/* The kernel features mkimage knows, with what each one compiles in. */
struct mf_feature_info {
    const char *name;
    const char *summary;
};
extern const struct mf_feature_info mf_features[];

/* Load path, apply variant (NULL: "default" when defined, else the base) and
 * the "KEY=VALUE" overrides, validate. Prints FILE:LINE:COL errors; NULL on error. */
struct manifest *manifest_load(const char *path, const char *variant,
                               char *const *sets, size_t sets_len);
void manifest_free(struct manifest *m);
/* Print the resolved manifest as TOML (mkimage check). */
void manifest_print(const struct manifest *m, FILE *out);
bool manifest_has_feature(const struct manifest *m, const char *name);
/* The config's file name without its folder: what generated files may name
 * (a folder would make builds from two copies of the sources differ). */
const char *mf_config_name(const struct manifest *m);

#endif
