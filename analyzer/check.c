/*
 * Latency budgets against an analysis (check.h): parsing "NAME=DUR[@pNN]"
 * and finding, per budget and kind, the value that is compared and the
 * instances over the limit.
 */
#include "check.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_units.h"

static int parse_fail(char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int parse_fail(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* "99" or "99.9" (one decimal at most), above 0 and at most 100, x10. */
static bool parse_permille(const char *s, unsigned *out)
{
	unsigned v = 0, digits = 0;
	for (; isdigit((unsigned char)*s) && digits < 4; s++, digits++)
		v = v * 10 + (unsigned)(*s - '0');
	if (!digits)
		return false;
	v *= 10;
	if (*s == '.') {
		if (!isdigit((unsigned char)s[1]))
			return false;
		v += (unsigned)(s[1] - '0');
		s += 2;
	}
	if (*s || v == 0 || v > 1000)
		return false;
	*out = v;
	return true;
}

int check_budget_parse(const char *spec, struct check_budget *out, char *msg, size_t size)
{
	*out = (struct check_budget){ 0 };
	const char *eq = strrchr(spec, '=');
	if (!eq)
		return parse_fail(msg, size, "expected NAME=DURATION[@pNN], e.g. request=5ms or request=2ms@p99");
	size_t nlen = (size_t)(eq - spec);
	if (!nlen)
		return parse_fail(msg, size, "no region or task name before '='");
	if (nlen >= CHECK_NAME_MAX)
		return parse_fail(msg, size, "name longer than %d bytes", CHECK_NAME_MAX - 1);
	out->kind = -1;
	static const struct { const char *prefix; int kind; } kinds[] = {
		{ "region:", ANALYSIS_REGION }, { "task:", ANALYSIS_TASK },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t plen = strlen(kinds[k].prefix);
		if (nlen >= plen && !strncmp(spec, kinds[k].prefix, plen)) {
			out->kind = kinds[k].kind;
			spec += plen;
			nlen -= plen;
			break;
		}
	}
	if (!nlen)
		return parse_fail(msg, size, "no %s name before '='",
				  out->kind == ANALYSIS_TASK ? "task" : "region");
	memcpy(out->name, spec, nlen);
	out->name[nlen] = 0;

	const char *dur = eq + 1;
	const char *at = strchr(dur, '@');
	size_t dlen = at ? (size_t)(at - dur) : strlen(dur);
	char d[64];
	if (!dlen || dlen >= sizeof d)
		return parse_fail(msg, size, "expected a duration after '=', such as 5ms");
	memcpy(d, dur, dlen);
	d[dlen] = 0;
	/* A bare number would be nanoseconds to units_parse_duration, which a
	 * budget written by hand rarely means. */
	bool bare = isdigit((unsigned char)d[dlen - 1]) && strspn(d, "0.") != dlen;
	if (bare || !units_parse_duration(d, &out->limit_ns))
		return parse_fail(msg, size, "'%s' is not a duration with a unit (ns, us, ms, s), such as 5ms", d);
	if (at && ((at[1] != 'p' && at[1] != 'P') || !parse_permille(at + 2, &out->permille)))
		return parse_fail(msg, size, "'%s' is not a percentile: expected @pNN, such as @p99 or @p99.9", at);
	return 0;
}

const char *check_budget_stat(const struct check_budget *b, char *buf, size_t size)
{
	if (!b->permille)
		snprintf(buf, size, "max");
	else if (b->permille % 10)
		snprintf(buf, size, "p%u.%u", b->permille / 10, b->permille % 10);
	else
		snprintf(buf, size, "p%u", b->permille / 10);
	return buf;
}

bool check_instance_unclosed(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	const struct model *m = a->m;
	if (kind == ANALYSIS_REGION)
		return m->regions[instance].flags & (MODEL_RG_UNCLOSED | MODEL_RG_LOST_END);
	return m->tasks[instance].flags & MODEL_TK_UNCLOSED;
}

uint64_t check_instance_duration(const struct analysis *a, uint8_t kind, uint32_t instance)
{
	const struct model *m = a->m;
	if (kind == ANALYSIS_REGION)
		return m->regions[instance].end - m->regions[instance].begin;
	return m->tasks[instance].end - m->tasks[instance].begin;
}

/* The stats of the region / task named name, NULL when none. */
static const struct analysis_name_stats *find_stats(const struct analysis *a, uint8_t kind,
						    const char *name)
{
	const struct analysis_name_stats *v = kind == ANALYSIS_REGION ? a->region_stats : a->task_stats;
	size_t n = kind == ANALYSIS_REGION ? a->n_region_stats : a->n_task_stats;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(model_str(a->m, v[i].name), name))
			return &v[i];
	return NULL;
}

struct dur_idx {
	uint64_t dur;
	uint32_t idx;
};

static int cmp_u64(const void *x, const void *y)
{
	uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
	return p < q ? -1 : p > q;
}

/* Longest first; the earlier instance first among equals. */
static int cmp_longest(const void *x, const void *y)
{
	const struct dur_idx *p = x, *q = y;
	if (p->dur != q->dur)
		return p->dur > q->dur ? -1 : 1;
	return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* Fills r (found, kind and budget set) from the instances named like s. */
static int evaluate_one(const struct analysis *a, const struct check_budget *b,
			const struct analysis_name_stats *s, size_t keep, struct check_result *r)
{
	const struct model *m = a->m;
	size_t n = r->kind == ANALYSIS_REGION ? m->n_regions : m->n_tasks;
	size_t cap = s->count + s->unclosed;
	uint64_t *durs = malloc((cap ? cap : 1) * sizeof *durs);
	struct dur_idx *over = malloc((cap ? cap : 1) * sizeof *over);
	if (!durs || !over) {
		free(durs);
		free(over);
		return -1;
	}
	size_t nd = 0, no = 0;
	uint64_t longest = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t name = r->kind == ANALYSIS_REGION ? m->regions[i].name : m->tasks[i].name;
		if (name != s->name)
			continue;
		bool counted = analysis_stats_of(a, r->kind, (uint32_t)i) != MODEL_NONE;
		bool unclosed = check_instance_unclosed(a, r->kind, (uint32_t)i);
		uint64_t begin = r->kind == ANALYSIS_REGION ? m->regions[i].begin : m->tasks[i].begin;
		uint64_t end = begin + check_instance_duration(a, r->kind, (uint32_t)i);
		if (!counted && !(unclosed && analysis_in_window(a, begin, end)))
			continue;
		/* Unclosed instances are only lower bounds: they bound a max, not
		 * a percentile of the closed ones. */
		if (unclosed && b->permille)
			continue;
		uint64_t d = end - begin;
		assert(nd < cap);
		if (counted)
			durs[nd++] = d;
		if (d > longest)
			longest = d;
		if (d > b->limit_ns)
			over[no++] = (struct dur_idx){ d, (uint32_t)i };
	}
	r->count = s->count;
	r->unclosed = s->unclosed;
	if (b->permille) {
		assert(nd == s->count);
		qsort(durs, nd, sizeof *durs, cmp_u64);
		size_t rank = (nd * b->permille + 999) / 1000;
		r->value_ns = nd ? durs[rank ? rank - 1 : 0] : 0;
		/* The same nearest rank as the analysis' own percentiles. */
		assert(b->permille != 990 || r->value_ns == s->p99_ns || !nd);
		assert(b->permille != 500 || r->value_ns == s->p50_ns || !nd);
	} else {
		r->value_ns = longest;
		assert(longest >= s->max_ns || !s->count);
	}
	r->exceeded = r->value_ns > b->limit_ns;
	qsort(over, no, sizeof *over, cmp_longest);
	r->n_over = no;
	r->n_kept = no < keep ? no : keep;
	r->over = malloc((r->n_kept ? r->n_kept : 1) * sizeof *r->over);
	if (!r->over) {
		free(durs);
		free(over);
		return -1;
	}
	for (size_t k = 0; k < r->n_kept; k++)
		r->over[k] = over[k].idx;
	free(durs);
	free(over);
	return 0;
}

int check_evaluate(const struct analysis *a, const struct check_budget *budgets, size_t n,
		   size_t keep, struct check_outcome *out)
{
	*out = (struct check_outcome){ 0 };
	/* At most a region and a task result per budget. */
	out->results = calloc(n ? 2 * n : 1, sizeof *out->results);
	if (!out->results)
		return -1;
	for (size_t b = 0; b < n; b++) {
		bool any = false;
		for (uint8_t kind = ANALYSIS_REGION; kind <= ANALYSIS_TASK; kind++) {
			if (budgets[b].kind >= 0 && budgets[b].kind != kind)
				continue;
			const struct analysis_name_stats *s = find_stats(a, kind, budgets[b].name);
			if (!s)
				continue;
			struct check_result *r = &out->results[out->n_results++];
			*r = (struct check_result){ .budget = b, .found = true, .kind = kind };
			if (evaluate_one(a, &budgets[b], s, keep, r) != 0) {
				check_outcome_free(out);
				return -1;
			}
			out->n_exceeded += r->exceeded;
			any = true;
		}
		if (!any) {
			out->results[out->n_results++] = (struct check_result){ .budget = b };
			out->n_absent++;
		}
	}
	return 0;
}

void check_outcome_free(struct check_outcome *o)
{
	for (size_t i = 0; i < o->n_results; i++)
		free(o->results[i].over);
	free(o->results);
	*o = (struct check_outcome){ 0 };
}
