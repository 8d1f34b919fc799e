// libavfilter, loaded on first use instead of at start-up. vidact uses it only for motion
// estimation (`mestimate`, through VideoDecoding's `FilterGraph`), but linking it made every
// process load it and the ~60 libraries it needs (speech, fonts, SVG, Vulkan...): 15 ms of each
// start of a C program that links FFmpeg, and vidact starts once or twice per command.
#ifndef VIDACT_CAVFILTER_H
#define VIDACT_CAVFILTER_H

#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>

/// The libavfilter functions vidact calls, typed from FFmpeg's own declarations; none is NULL in
/// a table `vidact_avfilter()` returns.
typedef struct VidactAVFilter {
    __typeof__(avfilter_graph_alloc) *_Nonnull graph_alloc;
    __typeof__(avfilter_get_by_name) *_Nonnull get_by_name;
    __typeof__(avfilter_graph_create_filter) *_Nonnull graph_create_filter;
    __typeof__(avfilter_link) *_Nonnull link;
    __typeof__(avfilter_graph_config) *_Nonnull graph_config;
    __typeof__(avfilter_graph_free) *_Nonnull graph_free;
    __typeof__(av_buffersrc_add_frame_flags) *_Nonnull buffersrc_add_frame_flags;
    __typeof__(av_buffersink_get_frame) *_Nonnull buffersink_get_frame;
} VidactAVFilter;

/// libavfilter of the major version vidact was built against (libavfilter.so.8 for FFmpeg 5.1),
/// loaded once per process (thread-safe). NULL when it cannot be loaded or lacks a function; then
/// `vidact_avfilter_error()` says why.
const VidactAVFilter *_Nullable vidact_avfilter(void);

/// Why `vidact_avfilter()` returned NULL (dlerror's text), or NULL.
const char *_Nullable vidact_avfilter_error(void);

#endif
