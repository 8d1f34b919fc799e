// Re-exposes FFmpeg's function-like macros, which Swift cannot import, as static inline functions.
#ifndef VIDACT_CFFMPEG_SHIM_H
#define VIDACT_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>
#include <libavutil/opt.h>
#include <libavutil/motion_vector.h>

static inline int vidact_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int vidact_averror_eof(void) { return AVERROR_EOF; }
static inline int vidact_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int vidact_averror_exit(void) { return AVERROR_EXIT; }
static inline int vidact_averror_enomem(void) { return AVERROR(ENOMEM); }
static inline int vidact_averror_eacces(void) { return AVERROR(EACCES); }
static inline int vidact_averror_enoent(void) { return AVERROR(ENOENT); }
static inline int vidact_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int vidact_averror_patchwelcome(void) { return AVERROR_PATCHWELCOME; }
static inline int64_t vidact_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int vidact_av_time_base(void) { return AV_TIME_BASE; }

#endif
