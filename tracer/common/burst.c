/* Allocation-burst detection; see burst.h for the model. */
#include "burst.h"

static bool burst_close(struct burst_state *s, const struct burst_config *cfg,
			struct burst_event *ev)
{
	s->active = false;
	uint64_t bytes = s->hot_bytes - s->begin_bytes;
	if (bytes < cfg->min_bytes)
		return false;
	ev->begin_ns = s->begin_ns;
	ev->end_ns = s->hot_ns;
	ev->bytes = bytes;
	ev->count = s->hot_count - s->begin_count;
	return true;
}

bool burst_check(struct burst_state *s, const struct burst_config *cfg,
		 uint64_t now_ns, uint64_t total_bytes, uint64_t total_count,
		 struct burst_event *ev)
{
	bool ended = false;
	if (s->last_ns != 0 && now_ns > s->last_ns && total_bytes >= s->last_bytes) {
		uint64_t dt = now_ns - s->last_ns;
		uint64_t db = total_bytes - s->last_bytes;
		/* db / (dt / 1e6) >= rate, kept in integers; __int128 because
		 * rate * dt overflows 64 bits after ~3 minutes at 100 MB/ms. */
		bool hot = (unsigned __int128)db * 1000000u >=
			   (unsigned __int128)cfg->rate_bytes_per_ms * dt;
		if (hot) {
			if (!s->active) {
				s->active = true;
				s->begin_ns = s->last_ns;
				s->begin_bytes = s->last_bytes;
				s->begin_count = s->last_count;
			}
			s->hot_ns = now_ns;
			s->hot_bytes = total_bytes;
			s->hot_count = total_count;
		} else if (s->active) {
			ended = burst_close(s, cfg, ev);
		}
	}
	s->last_ns = now_ns;
	s->last_bytes = total_bytes;
	s->last_count = total_count;
	return ended;
}

bool burst_finish(struct burst_state *s, const struct burst_config *cfg,
		  struct burst_event *ev)
{
	if (!s->active)
		return false;
	return burst_close(s, cfg, ev);
}
