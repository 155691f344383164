/* services/lib/dma.c: allocating a DMA buffer: open dma:SIZE, read its
 * physical address, map it. The fd is closed at once: the mapping keeps the
 * frames. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dma.h"

int dma_alloc(size_t size, struct dma_buf *b)
{
    char path[32];
    int fd, err = 0;
    void *p;

    snprintf(path, sizeof(path), "dma:%zu", size);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    if (read(fd, &b->phys, sizeof(b->phys)) != sizeof(b->phys)) {
        err = -EIO;
    } else if ((p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
        err = -errno;
    } else {
        b->virt = p;
        b->size = size;
    }
    close(fd);
    return err;
}
