/* image/screenshot.h: pictures of the guest's screen through the QEMU monitor,
 * so `mkimage run --screenshot F.png` shows what the screen held at the end. */
#ifndef ANVIL_IMAGE_SCREENSHOT_H
#define ANVIL_IMAGE_SCREENSHOT_H

struct screenshot {
    char *dir;          /* private scratch folder */
    char *monitor;      /* QEMU monitor socket in dir, or NULL when not in use */
    const char *png;    /* where the picture goes */
    double last;        /* when the last picture was taken */
    int taken;
};

int screenshot_begin(struct screenshot *s, const char *png);
/* Take a picture when the last one is old enough (QEMU's exit gives no warning). */
void screenshot_poll(struct screenshot *s);
void screenshot_take(struct screenshot *s);
/* Write the newest picture as the PNG; -1 when there is none. */
int screenshot_finish(struct screenshot *s);
void screenshot_end(struct screenshot *s);

#endif
