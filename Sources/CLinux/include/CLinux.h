#ifndef CLINUX_H
#define CLINUX_H

// Linux-only system calls that `import Glibc` does not expose to Swift (the headers are not part of the Glibc
// module map). Each function forwards one call unchanged; the constants (EPOLLIN, EFD_CLOEXEC, ...) import from
// these headers directly.
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

int CLinux_epoll_create1(int flags);
int CLinux_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int CLinux_epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
int CLinux_eventfd(unsigned int initval, int flags);
int CLinux_timerfd_create(int clockid, int flags);
int CLinux_timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value);
int CLinux_signalfd(int fd, const sigset_t *mask, int flags);
int CLinux_accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

#endif
