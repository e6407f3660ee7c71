/* Spike rules, rate limit and open-task table; see spike_rules.h. */
#include "spike_rules.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "region_stack.h"

#define SPIKE_DEFAULT_INTERVAL_NS 1000000000ull

uint32_t spike_rules_count;
uint32_t spike_tasks_open;

static struct spike_rule rules[SPIKE_RULES_MAX];
static uint64_t interval_ns = SPIKE_DEFAULT_INTERVAL_NS;
static struct sockaddr_un sock_addr;
static socklen_t sock_len;

/* Last admitted spike (0: none yet) and the refusals since. */
static uint64_t last_admit_ns;
static uint32_t refused;

/* Open tasks with a rule. id 0 = free, TASK_CLAIMED = being written. */
#define TASK_CLAIMED UINT64_MAX
static struct {
	uint64_t id;
	uint64_t begin_ns;
	const struct spike_rule *rule;
} tasks[SPIKE_TASKS_MAX];

uint32_t spike_rules_load(const char *spec, uint64_t interval, const char *sock_path)
{
	uint32_t n = 0;
	for (const char *p = spec; p && *p && n < SPIKE_RULES_MAX; ) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *end;
		unsigned long long ns = strtoull(p, &end, 10);
		size_t name_len = len - (size_t)(end - p) - 1;
		if (end > p && *end == ':' && end < p + len && name_len > 0 &&
		    name_len < SPIKE_NAME_MAX) {
			struct spike_rule *r = &rules[n++];
			memcpy(r->name, end + 1, name_len);
			r->name[name_len] = '\0';
			r->hash = region_name_hash(r->name);
			r->threshold_ns = ns;
		}
		p += len + (eol ? 1 : 0);
	}
	interval_ns = interval;
	sock_len = 0;
	if (sock_path && *sock_path && strlen(sock_path) < sizeof sock_addr.sun_path) {
		sock_addr.sun_family = AF_UNIX;
		strcpy(sock_addr.sun_path, sock_path);
		sock_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sock_path) + 1);
	}
	__atomic_store_n(&spike_rules_count, n, __ATOMIC_RELEASE);
	return n;
}

/* Read before main, in both libctrace and the preload (each has its own
 * table; the preload's API functions are the ones called). */
__attribute__((constructor)) static void spike_rules_init(void)
{
	const char *spec = getenv("CTRACE_SPIKES");
	const char *iv = getenv("CTRACE_SPIKE_INTERVAL_NS");
	uint64_t interval = SPIKE_DEFAULT_INTERVAL_NS;
	if (iv && *iv) {
		char *end;
		unsigned long long v = strtoull(iv, &end, 10);
		if (*end == '\0')
			interval = v;
	}
	/* ctrace_snapshot() works with no rule too: the socket alone. */
	spike_rules_load(spec, interval, getenv("CTRACE_SPIKE_SOCK"));
}

const struct spike_rule *spike_rules_find(uint64_t hash)
{
	for (uint32_t i = 0; i < spike_rules_count; i++)
		if (rules[i].hash == hash)
			return &rules[i];
	return NULL;
}

bool spike_rate_admit(uint64_t now_ns, uint32_t *suppressed)
{
	uint64_t last = __atomic_load_n(&last_admit_ns, __ATOMIC_RELAXED);
	for (;;) {
		if (last != 0 && now_ns - last < interval_ns) {
			__atomic_fetch_add(&refused, 1, __ATOMIC_RELAXED);
			return false;
		}
		/* One winner per interval, whatever the threads racing. */
		if (__atomic_compare_exchange_n(&last_admit_ns, &last, now_ns ? now_ns : 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			break;
	}
	*suppressed = __atomic_exchange_n(&refused, 0, __ATOMIC_RELAXED);
	return true;
}

static uint32_t task_slot(uint64_t id)
{
	return (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> 56) % SPIKE_TASKS_MAX;
}

void spike_task_begin(uint64_t id, const struct spike_rule *rule, uint64_t now_ns)
{
	if (id == 0 || id == TASK_CLAIMED)
		return;
	uint32_t s = task_slot(id);
	for (uint32_t i = 0; i < SPIKE_TASKS_MAX; i++, s = (s + 1) % SPIKE_TASKS_MAX) {
		uint64_t free_id = 0;
		if (!__atomic_compare_exchange_n(&tasks[s].id, &free_id, TASK_CLAIMED, false,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue;
		tasks[s].begin_ns = now_ns;
		tasks[s].rule = rule;
		__atomic_store_n(&tasks[s].id, id, __ATOMIC_RELEASE);
		__atomic_fetch_add(&spike_tasks_open, 1, __ATOMIC_RELAXED);
		return;
	}
	/* Table full: this task is not checked (documented limit). */
}

bool spike_task_end(uint64_t id, uint64_t *begin_ns, const struct spike_rule **rule)
{
	if (id == 0 || id == TASK_CLAIMED)
		return false;
	uint32_t s = task_slot(id);
	for (uint32_t i = 0; i < SPIKE_TASKS_MAX; i++, s = (s + 1) % SPIKE_TASKS_MAX) {
		if (__atomic_load_n(&tasks[s].id, __ATOMIC_ACQUIRE) != id)
			continue;
		*begin_ns = tasks[s].begin_ns;
		*rule = tasks[s].rule;
		uint64_t expect = id;
		/* Only one ender wins if a task is ended twice. */
		if (!__atomic_compare_exchange_n(&tasks[s].id, &expect, 0, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return false;
		__atomic_fetch_sub(&spike_tasks_open, 1, __ATOMIC_RELAXED);
		return true;
	}
	return false;
}

void spike_announce(enum spike_kind kind, const char *name, uint64_t duration_ns,
		    uint64_t threshold_ns, uint64_t ts_ns, uint32_t suppressed)
{
	if (sock_len == 0)
		return;
	char msg[SPIKE_NAME_MAX * 4 + 128];
	int n = snprintf(msg, sizeof msg, "%d\t%llu\t%llu\t%llu\t%u\t%s", (int)kind,
			 (unsigned long long)duration_ns, (unsigned long long)threshold_ns,
			 (unsigned long long)ts_ns, suppressed, name ? name : "");
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
	long fd = syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	/* Non-blocking from the program's side: a recorder that is gone or
	 * slow loses the line, the program never waits. */
	syscall(SYS_sendto, fd, msg, len, MSG_DONTWAIT, &sock_addr, sock_len);
	syscall(SYS_close, fd);
}
