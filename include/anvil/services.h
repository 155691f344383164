/* include/anvil/services.h: the service table mkimage writes from config.toml's
 * [services.NAME] and [drivers.NAME] tables and init (PID 1) reads at boot. */
#ifndef ANVIL_SERVICES_H
#define ANVIL_SERVICES_H

/*
 * The table is a text file at ANVIL_SERVICES_PATH in the initfs, one service
 * per block, in dependency order (a service comes after everything it names in
 * `after`). Lines are "KEY VALUE..." with single spaces; words never contain
 * spaces; '#' starts a comment line. Every block is:
 *
 *   service NAME
 *   program /bin/PROG            absolute path in the image
 *   args WORD...                 optional: argv[1..]
 *   provides SCHEME...           optional: schemes it registers (ready = all registered)
 *   uses SCHEME...               its namespace: the schemes it may open
 *   grant KIND:RANGE...          optional: memory:0xSTART-0xEND, irq:N, ioport:0xSTART-0xEND,
 *                                power, signal, dma
 *   after NAME...                optional: services that must be ready first
 *   restart always|on-failure|never
 *   oneshot yes|no               a task that runs once to completion (ready when it exits 0)
 *   driver CLASS VENDOR DEVICE   optional: a PCI driver (config.toml's [drivers.NAME]): hex
 *                                ids, * for any; started only when pcid reports a device that
 *                                matches, with that device's grants (no grant line)
 *   end
 *
 * After the services come, optionally:
 *
 *   driver_window KIND:RANGE...  memory: and ioport: ranges a driver's BARs must lie in
 *   run /bin/PROG WORD...        the [init] run program, started when all are ready
 *   grant KIND:RANGE...          optional: [init] grants, all the run program holds
 *   on_exit poweroff|stay|respawn   respawn: run it again each time it ends
 *
 * init starts each service in its own session with its namespace narrowed to
 * uses + provides + initfs, its provides set to provides and its grants to
 * its grant line (a driver: its device's BARs, dma and irq:16, and
 * PCI_DEVICE=BB:DD.F in its environment); the run program keeps the
 * namespace, provides nothing and holds only the top-level grant line
 * (docs/security.md, docs/drivers.md).
 */

#define ANVIL_SERVICES_PATH "/etc/anvil/services"

#endif
