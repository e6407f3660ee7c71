/*
 * `ctrace view`: the timeline viewer. viewer/ builds on the analyzer's
 * model (analyzer/model.h): view_data prepares it for display, view_spans
 * and view_lod keep frames at one rectangle per pixel column and row,
 * view_render draws, view_state and view_app handle input and the window.
 */
#ifndef VIEW_H
#define VIEW_H

/* argv[0] is "view". Returns the exit status: 0 done, 2 bad usage or
 * unusable trace, 1 no window, out of memory or failed output. */
int view_main(int argc, char **argv);

#endif
