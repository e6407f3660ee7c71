/*
 * Ground truth for unwinding across dlclose: loads plugin A, burns CPU in
 * its `hot` (big stack frame), unloads it, loads plugin B (same layout,
 * small frame) at the same address, burns CPU in B's `hot`, and repeats.
 * CPU samples inside either `hot` must unwind to `driver`; a frame rule
 * cached for A and applied to B would not. Prints where driver and each
 * load of `hot` were, and whether B reused A's address.
 *
 * usage: unmap_reuse DIR   (DIR holds unmap_a.so and unmap_b.so)
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define ROUNDS 4
#define CPU_MS_PER_ROUND 150

static uint64_t cpu_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Calls hot until the process used ms of CPU. */
__attribute__((noinline)) uint64_t driver(uint64_t (*hot)(uint64_t), unsigned ms)
{
	uint64_t sum = 0, end = cpu_ns() + (uint64_t)ms * 1000000u;
	while (cpu_ns() < end)
		sum += hot(20000);
	return sum;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	uintptr_t first_a = 0;
	int reused = 1;
	uint64_t sum = 0;
	printf("truth: driver=%llu\n", (unsigned long long)(uintptr_t)driver);
	for (int round = 0; round < ROUNDS; round++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/unmap_%c.so", argv[1], round % 2 ? 'b' : 'a');
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		uint64_t (*hot)(uint64_t) = h ? (uint64_t (*)(uint64_t))dlsym(h, "hot") : NULL;
		if (!hot) {
			fprintf(stderr, "unmap_reuse: %s\n", dlerror());
			return 1;
		}
		if (round == 0)
			first_a = (uintptr_t)hot;
		else if ((uintptr_t)hot != first_a)
			reused = 0;
		printf("truth: round=%d hot=%llu\n", round, (unsigned long long)(uintptr_t)hot);
		sum += driver(hot, CPU_MS_PER_ROUND);
		dlclose(h);
	}
	printf("truth: reused=%d checksum_nonzero=%d\n", reused, sum != 0);
	return 0;
}
