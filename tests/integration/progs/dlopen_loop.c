/*
 * Robustness program: loads and unloads a plugin library 100 times, calling
 * into it each time (the plugin allocates and locks, so the preload's
 * interposers run inside code that comes and goes).
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PLUGIN.so\n", argv[0]);
		return 2;
	}
	long total = 0;
	for (int i = 0; i < 100; i++) {
		void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			fprintf(stderr, "dlopen: %s\n", dlerror());
			return 1;
		}
		long (*work)(int) = (long (*)(int))dlsym(h, "plugin_work");
		if (!work) {
			fprintf(stderr, "dlsym: %s\n", dlerror());
			return 1;
		}
		total += work(i);
		if (dlclose(h) != 0) {
			fprintf(stderr, "dlclose: %s\n", dlerror());
			return 1;
		}
	}
	printf("plugin total %ld\n", total);
	return 5;
}
