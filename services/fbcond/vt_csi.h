/* services/fbcond/vt_csi.h: the control sequences (CSI ... final) and the
 * screen operations they share with vt.c. */
#ifndef FBCOND_VT_CSI_H
#define FBCOND_VT_CSI_H

#include "vt.h"

/* Run the sequence whose parameters v holds, ended by final. */
void vt_csi_run(struct vt *v, char final);

/* Shared with vt.c. */
void vt_clear_cells(struct vt *v, int y, int x0, int x1);
void vt_scroll(struct vt *v, int top, int bottom, int n);
void vt_linefeed(struct vt *v);
void vt_reply(struct vt *v, const char *s);
void vt_save_cursor(struct vt *v);
void vt_restore_cursor(struct vt *v);

#endif
