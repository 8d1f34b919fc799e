// Loads libavfilter with dlopen on first use; see CAVFilter.h for why.
#include "CAVFilter.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define VIDACT_STRINGIFY(x) #x
#define VIDACT_SONAME(major) "libavfilter.so." VIDACT_STRINGIFY(major)

static VidactAVFilter functions;
static const VidactAVFilter *loaded;
static char failure[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int resolve(void *library, void **slot, const char *name) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(failure, sizeof failure, "%s has no %s: %s", VIDACT_SONAME(LIBAVFILTER_VERSION_MAJOR), name,
                 dlerror());
        return 0;
    }
    return 1;
}

static void load(void) {
    // RTLD_LOCAL: its symbols stay out of the global scope, so nothing else binds to them.
    void *library = dlopen(VIDACT_SONAME(LIBAVFILTER_VERSION_MAJOR), RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(failure, sizeof failure, "%s", dlerror());
        return;
    }
    int ok = resolve(library, (void **)&functions.graph_alloc, "avfilter_graph_alloc") &&
             resolve(library, (void **)&functions.get_by_name, "avfilter_get_by_name") &&
             resolve(library, (void **)&functions.graph_create_filter, "avfilter_graph_create_filter") &&
             resolve(library, (void **)&functions.link, "avfilter_link") &&
             resolve(library, (void **)&functions.graph_config, "avfilter_graph_config") &&
             resolve(library, (void **)&functions.graph_free, "avfilter_graph_free") &&
             resolve(library, (void **)&functions.buffersrc_add_frame_flags, "av_buffersrc_add_frame_flags") &&
             resolve(library, (void **)&functions.buffersink_get_frame, "av_buffersink_get_frame");
    // The library stays loaded for the life of the process, as a linked one would.
    if (ok) loaded = &functions;
}

const VidactAVFilter *vidact_avfilter(void) {
    pthread_once(&once, load);
    return loaded;
}

const char *vidact_avfilter_error(void) {
    pthread_once(&once, load);
    return loaded == NULL ? failure : NULL;
}
