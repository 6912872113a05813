// One-line forwarders: epoll, eventfd, timerfd and signalfd live in headers outside Swift's Glibc module map, and
// accept4 is a GNU extension hidden behind _GNU_SOURCE. No logic here (STYLE rule 2).
#define _GNU_SOURCE
#include "CLinux.h"

// epoll(7): the selector's only readiness API.
int CLinux_epoll_create1(int flags) { return epoll_create1(flags); }
int CLinux_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event) { return epoll_ctl(epfd, op, fd, event); }
int CLinux_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout) { return epoll_wait(epfd, events, maxevents, timeout); }

// eventfd(2): cross-thread wake-up of an event loop.
int CLinux_eventfd(unsigned int initval, int flags) { return eventfd(initval, flags); }

// timerfd(2): kernel timers as file descriptors.
int CLinux_timerfd_create(int clockid, int flags) { return timerfd_create(clockid, flags); }
int CLinux_timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value) { return timerfd_settime(fd, flags, new_value, old_value); }

// signalfd(2): SIGTERM/SIGINT delivered as readable events on a loop.
int CLinux_signalfd(int fd, const sigset_t *mask, int flags) { return signalfd(fd, mask, flags); }

// accept4(2) (GNU extension): accept with SOCK_NONBLOCK | SOCK_CLOEXEC in one call.
int CLinux_accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags) { return accept4(sockfd, addr, addrlen, flags); }
