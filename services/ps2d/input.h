/* services/ps2d/input.h: the input: scheme: a queue of key events per open
 * file (include/anvil/input.h). */
#ifndef ANVIL_PS2D_INPUT_H
#define ANVIL_PS2D_INPUT_H

#include <anvil/input.h>
#include <stdbool.h>

#include "svc.h"

extern const struct scheme_ops input_ops;

/* The scheme's server fd, for answering held reads and polls. */
void input_set_fd(int fd);
/* Is input:console open: does a console service type the keys itself? */
bool input_console_taken(void);
/* Queue ev on every open file and wake their readers. */
void input_post(const struct anvil_input_event *ev);

#endif
