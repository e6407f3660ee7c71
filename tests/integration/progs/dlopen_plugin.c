/* The plugin dlopen_loop loads and unloads: a thread, an allocation and a
 * lock per call. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t plugin_lock = PTHREAD_MUTEX_INITIALIZER;

static void *plugin_thread(void *arg)
{
	int n = *(int *)arg;
	char *p = malloc(1000);
	if (!p)
		return NULL;
	memset(p, n, 1000);
	pthread_mutex_lock(&plugin_lock);
	long v = p[0] + n;
	pthread_mutex_unlock(&plugin_lock);
	free(p);
	return (void *)v;
}

long plugin_work(int n)
{
	pthread_t t;
	void *ret = NULL;
	if (pthread_create(&t, NULL, plugin_thread, &n) != 0)
		return -1;
	pthread_join(t, &ret);
	return (long)ret;
}
