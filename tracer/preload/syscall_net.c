/*
 * Socket interposers: recv/send and friends, accept/accept4, connect.
 * Each is a one-line use of SYSCALL_TIMED (syscall_span.h); the fortified
 * __recv_chk/__recvfrom_chk have their own, as _FORTIFY_SOURCE programs
 * call those instead of the plain names.
 */
#undef _FORTIFY_SOURCE
#include <sys/socket.h>

#include "syscall_span.h"

ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
		       __SOCKADDR_ARG addr, socklen_t *restrict addrlen);

/* Payload bytes of a message header the kernel accepted (called only after
 * a successful call, so msg and its iovecs are readable). */
static int64_t net_msg_bytes(const struct msghdr *msg)
{
	int64_t sum = 0;
	for (size_t i = 0; i < msg->msg_iovlen; i++)
		sum += (int64_t)msg->msg_iov[i].iov_len;
	return sum;
}

#define NET_TIMED(type, sys, fd, size, call) \
	SYSCALL_TIMED(type, r, sys, fd, size, true, call)

PRELOAD_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	PRELOAD_REAL(recv);
	NET_TIMED(ssize_t, CTRACE_SYS_RECV, fd, (int64_t)n, real_recv(fd, buf, n, flags));
}

PRELOAD_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	PRELOAD_REAL(__recv_chk);
	NET_TIMED(ssize_t, CTRACE_SYS_RECV, fd, (int64_t)n,
		  real___recv_chk(fd, buf, n, buflen, flags));
}

PRELOAD_EXPORT ssize_t recvfrom(int fd, void *restrict buf, size_t n, int flags,
				__SOCKADDR_ARG addr, socklen_t *restrict addrlen)
{
	PRELOAD_REAL(recvfrom);
	NET_TIMED(ssize_t, CTRACE_SYS_RECVFROM, fd, (int64_t)n,
		  real_recvfrom(fd, buf, n, flags, addr, addrlen));
}

PRELOAD_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen,
				      int flags, __SOCKADDR_ARG addr,
				      socklen_t *restrict addrlen)
{
	PRELOAD_REAL(__recvfrom_chk);
	NET_TIMED(ssize_t, CTRACE_SYS_RECVFROM, fd, (int64_t)n,
		  real___recvfrom_chk(fd, buf, n, buflen, flags, addr, addrlen));
}

PRELOAD_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	PRELOAD_REAL(recvmsg);
	NET_TIMED(ssize_t, CTRACE_SYS_RECVMSG, fd, r >= 0 ? net_msg_bytes(msg) : -1,
		  real_recvmsg(fd, msg, flags));
}

PRELOAD_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	PRELOAD_REAL(send);
	NET_TIMED(ssize_t, CTRACE_SYS_SEND, fd, (int64_t)n, real_send(fd, buf, n, flags));
}

PRELOAD_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
			      __CONST_SOCKADDR_ARG addr, socklen_t addrlen)
{
	PRELOAD_REAL(sendto);
	NET_TIMED(ssize_t, CTRACE_SYS_SENDTO, fd, (int64_t)n,
		  real_sendto(fd, buf, n, flags, addr, addrlen));
}

PRELOAD_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	PRELOAD_REAL(sendmsg);
	NET_TIMED(ssize_t, CTRACE_SYS_SENDMSG, fd, r >= 0 ? net_msg_bytes(msg) : -1,
		  real_sendmsg(fd, msg, flags));
}

PRELOAD_EXPORT int accept(int fd, __SOCKADDR_ARG addr, socklen_t *restrict addrlen)
{
	PRELOAD_REAL(accept);
	NET_TIMED(int, CTRACE_SYS_ACCEPT, fd, -1, real_accept(fd, addr, addrlen));
}

PRELOAD_EXPORT int accept4(int fd, __SOCKADDR_ARG addr, socklen_t *restrict addrlen,
			   int flags)
{
	PRELOAD_REAL(accept4);
	NET_TIMED(int, CTRACE_SYS_ACCEPT4, fd, -1, real_accept4(fd, addr, addrlen, flags));
}

/* Never restarted by us: a second connect on a socket whose first attempt
 * was interrupted fails with EALREADY. With SA_RESTART the kernel restarts
 * a blocking connect itself unless the socket has a send timeout. */
PRELOAD_EXPORT int connect(int fd, __CONST_SOCKADDR_ARG addr, socklen_t addrlen)
{
	PRELOAD_REAL(connect);
	SYSCALL_TIMED(int, r, CTRACE_SYS_CONNECT, fd, -1, false,
		      real_connect(fd, addr, addrlen));
}
