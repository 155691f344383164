/* kernel/ipc/fcache.h: the kernel's cache of a user scheme's files, so the
 * common path (open, read, fstat, close of a file a daemon serves) needs no
 * trip to the daemon. A daemon opts in per open by answering with the file's
 * struct anvil_stat (ANVIL_REPLY_STAT), promising that the file changes only
 * through requests the kernel sends it. The kernel then keeps, per scheme:
 *   - inodes: (ino) -> size, stat and the file's pages read or written so far;
 *   - idle handles: read-only handles whose file was closed, kept open at the
 *     daemon and handed to the next open of the same path.
 * Writes go through to the daemon first and then update the cached pages.
 * Anything the kernel cannot follow exactly (unlink, rename, truncate by
 * path, ...) bumps the scheme's generation, which makes everything cached
 * before it stale. The daemon's death drops it all. docs/ipc.md has the
 * design and its measured costs. */
#ifndef ANVIL_IPC_FCACHE_H
#define ANVIL_IPC_FCACHE_H

#include <anvil/scheme.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uscheme;
struct fc_inode;

/* Per-scheme state, inside struct uscheme (zeroed at registration). */
#define FC_BUCKETS 64
#define FC_IDLE_MAX 32
struct fc_idle {
    char *path;                 /* as sent in the OPEN (kmalloc'd); NULL: slot free */
    unsigned flags;             /* the open flags that must match */
    uint64_t handle;
    struct fc_inode *inode;     /* a reference */
    uint64_t used;              /* LRU clock */
};
struct fcache {
    uint64_t gen;               /* bumped when the kernel cannot follow a change */
    uint64_t clock;
    struct fc_inode *bucket[FC_BUCKETS];
    struct fc_idle idle[FC_IDLE_MAX];
};

/* Everything cached for us is stale from now on. */
void fcache_invalidate(struct uscheme *us);
/* The daemon is gone: drop every idle handle and page (no CLOSE is sent). */
void fcache_drop(struct uscheme *us);

/* The inode for st (from a daemon's reply), refreshed with it: a reference,
 * or NULL (not a regular file, no memory). */
struct fc_inode *fcache_inode(struct uscheme *us, const struct anvil_stat *st);
void fcache_inode_put(struct fc_inode *in);
/* Whether in is current (not made stale by an invalidation, not dropped). */
bool fcache_inode_current(const struct fc_inode *in);
/* Make in current again with a fresh stat from the daemon (FSTAT). */
void fcache_inode_refresh(struct fc_inode *in, const struct anvil_stat *st);
/* The stat as last known, if in is current and nothing changed it since. */
bool fcache_inode_stat(const struct fc_inode *in, struct anvil_stat *st);
/* in changed in a way the cache cannot follow (an O_APPEND write): its
 * pages go and the next read asks the daemon for a fresh stat first. */
void fcache_inode_stale(struct fc_inode *in);
/* Forget the stat (a write changed size or times): fstat asks the daemon. */
void fcache_inode_touch(struct fc_inode *in);

/* Read [off, off + len) from cached pages to ubuf (user) or kbuf (kernel,
 * when not NULL). Bytes copied (0 at end of file), -EAGAIN when a page is
 * missing (*miss is then its offset), -EFAULT. Only on a current inode. */
long fcache_read(struct fc_inode *in, void *kbuf, uintptr_t ubuf, size_t len, uint64_t off,
                 uint64_t *miss);
/* A count of the writes and truncates in took, to tell a READ reply older
 * than them (its caller notes it before sending). */
uint64_t fcache_changes(const struct fc_inode *in);
/* A READ reply of n bytes of the want asked at page-aligned off: cache the
 * whole pages it holds (a short reply is the end of the file), unless the
 * file changed since the READ went out (changes: fcache_changes then).
 * frames: the first frame of data when it is a run of whole frames (they are
 * taken as they are; the bytes past a short reply's end are zeroed), else 0. */
void fcache_fill(struct fc_inode *in, uint64_t off, const uint8_t *data, uint64_t frames,
                 size_t n, size_t want, uint64_t changes);
/* The daemon took n bytes at off: update cached pages and the size (frames
 * as for fcache_fill). */
void fcache_wrote(struct fc_inode *in, uint64_t off, const uint8_t *data, uint64_t frames,
                  size_t n);
/* The file is now size bytes long. */
void fcache_truncated(struct fc_inode *in, uint64_t size);

/* Write-behind: a WRITE to in went out and nobody waits for it (the page
 * cache already holds its bytes; the daemon takes requests in order). */
void fcache_write_sent(struct fc_inode *in);
/* Its reply: result against the len sent. A failure is kept for the next
 * write or fsync of the file to report, and makes in stale. */
void fcache_write_answered(struct fc_inode *in, long result, size_t len);
/* Sleep until at most `most` writes of in are unanswered: 0 or -EINTR. */
int fcache_write_wait(struct fc_inode *in, unsigned most);
/* The failure kept by fcache_write_answered (cleared), or 0. */
int fcache_write_error(struct fc_inode *in);

/* An idle handle opened with path and flags: true with the handle and the
 * inode reference moved to the caller. */
bool fcache_idle_take(struct uscheme *us, const char *path, unsigned flags, uint64_t *handle,
                      struct fc_inode **in);
/* Keep a read-only handle open for the next open of path (the inode reference
 * moves to the cache). False: not kept; the caller closes it. */
bool fcache_idle_put(struct uscheme *us, const char *path, unsigned flags, uint64_t handle,
                     struct fc_inode *in);

/* The stat of path (followed: as a plain read-only open resolved it) when
 * an idle handle knows it. */
bool fcache_idle_stat(struct uscheme *us, const char *path, struct anvil_stat *st);

/* Frames holding cached pages, all schemes (for /proc/meminfo's Cached). */
size_t fcache_pages(void);
/* Memory is short: every cached page goes back (the daemons hold the data).
 * The frames freed. */
size_t fcache_reclaim(void);

#endif
