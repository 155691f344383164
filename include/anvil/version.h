/* include/anvil/version.h: the release this tree builds; mkimage stamps it into
 * the kernel and the image. */
#ifndef ANVIL_VERSION_H
#define ANVIL_VERSION_H

#define ANVIL_RELEASE "0.1.0"

#endif
