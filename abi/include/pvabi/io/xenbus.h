/* SPDX-License-Identifier: MIT */
/* io/xenbus.h: the states a frontend and a backend publish in XenStore. */
#ifndef PVABI_IO_XENBUS_H
#define PVABI_IO_XENBUS_H

/*
 * Each side of a split device writes its state, as a decimal number, to
 * the "state" key of its own directory and watches the other side's. The
 * usual sequence (io/blkif.h gives the block device's details):
 *
 *   Initialising -> InitWait (backend ready for the frontend's details)
 *   Initialising -> Initialised (frontend published ring and port)
 *   InitWait -> Connected (backend attached the ring)
 *   Initialised -> Connected (frontend saw the backend connect)
 *   Connected -> Closing -> Closed (either side shuts the device down)
 *
 * Sides must tolerate skipped states (a frontend may go to Initialised
 * or even Connected without waiting for InitWait).
 */
enum xenbus_state {
    XenbusStateUnknown = 0,
    XenbusStateInitialising = 1,
    XenbusStateInitWait = 2,    /* backend: waiting for the frontend */
    XenbusStateInitialised = 3, /* frontend: details published */
    XenbusStateConnected = 4,
    XenbusStateClosing = 5, /* the device is going away */
    XenbusStateClosed = 6,
    XenbusStateReconfiguring = 7,
    XenbusStateReconfigured = 8,
};
typedef enum xenbus_state XenbusState;

#endif /* PVABI_IO_XENBUS_H */
