/* A user's program built against the installed ctrace: every API call, no
 * recording running, so each must be a cheap no-op. */
#include <ctrace/ctrace.h>
#include <stdio.h>

int main(void)
{
	CTRACE_REGION("main");
	uint64_t task = ctrace_task_begin("job", 0);
	ctrace_task_attach(task);
	ctrace_label_push("user", "alice");
	ctrace_region_begin("step");
	ctrace_log("demo", "hello");
	ctrace_region_end("step");
	ctrace_label_pop();
	ctrace_task_end(task);
	puts("annotated ok");
	return 0;
}
