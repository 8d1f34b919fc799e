// Chooses the video stream of an open file and reads its `VideoInfo` from the headers.
import CFFmpeg

enum VideoProbe {
    /// The best video stream: a real video (attached cover pictures are skipped) with a decoder,
    /// the largest picture, the default disposition, then the lowest index.
    static func bestVideoStream(in demuxer: Demuxer) throws -> Int {
        var best: (index: Int, score: (Int, Int, Int))?
        var sawCoverArt = false
        for (index, entry) in demuxer.streams.enumerated() {
            guard let stream = entry, let parameters = stream.pointee.codecpar else { continue }
            guard parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO else { continue }
            if stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 {
                sawCoverArt = true
                continue
            }
            let decodable = avcodec_find_decoder(parameters.pointee.codec_id) != nil ? 1 : 0
            let pixels = Int(parameters.pointee.width) * Int(parameters.pointee.height)
            let isDefault = stream.pointee.disposition & AV_DISPOSITION_DEFAULT != 0 ? 1 : 0
            let score = (decodable, pixels, isDefault)
            if let current = best, current.score >= score { continue }
            best = (index, score)
        }
        guard let best else {
            let detail =
                sawCoverArt
                ? "has only cover art (an attached picture), no video stream"
                : "has no video stream (\(demuxer.streams.count) stream(s), none of them video)"
            throw DecodeError(.noVideoStream, path: demuxer.path, detail)
        }
        return best.index
    }

    static func info(of demuxer: Demuxer, stream index: Int, fileSize: Int64) -> VideoInfo {
        let stream = demuxer.stream(index)
        guard let parameters = stream.pointee.codecpar else { preconditionFailure("VideoProbe: no codecpar") }
        let p = parameters.pointee
        let timeBase = Rational(Int(stream.pointee.time_base.num), Int(stream.pointee.time_base.den))
        let tb = timeBase.value ?? 0
        let rotation = self.rotation(of: stream)
        let swap = rotation == 90 || rotation == 270
        let width = Int(p.width)
        let height = Int(p.height)

        var duration: Double?
        if stream.pointee.duration != FFmpegCodes.noPTS && stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * tb
        } else if demuxer.context.pointee.duration != FFmpegCodes.noPTS && demuxer.context.pointee.duration > 0 {
            duration = Double(demuxer.context.pointee.duration) / Double(vidact_av_time_base())
        }
        let startTime = stream.pointee.start_time == FFmpegCodes.noPTS ? nil : Double(stream.pointee.start_time) * tb
        let average = Rational(Int(stream.pointee.avg_frame_rate.num), Int(stream.pointee.avg_frame_rate.den))
        let real = Rational(Int(stream.pointee.r_frame_rate.num), Int(stream.pointee.r_frame_rate.den))
        var vfr: Bool?
        if let a = average.value, let r = real.value, a > 0, r > 0 {
            vfr = abs(a - r) / r > 0.01
        }
        let pixelFormat =
            av_get_pix_fmt_name(AVPixelFormat(rawValue: p.format)).map { String(cString: $0) } ?? "unknown"
        return VideoInfo(
            path: demuxer.path, fileSize: fileSize, container: demuxer.formatName, streamIndex: index,
            codec: String(cString: avcodec_get_name(p.codec_id)), pixelFormat: pixelFormat,
            codedWidth: width, codedHeight: height,
            width: swap ? height : width, height: swap ? width : height,
            timeBase: timeBase, startTime: startTime, duration: duration,
            averageFrameRate: average.value.flatMap { $0 > 0 ? $0 : nil },
            headerFrameCount: stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil,
            rotation: rotation, variableFrameRate: vfr)
    }

    /// Clockwise display rotation, computed as the ffmpeg CLI does for its autorotate filters:
    /// minus the display matrix angle, normalised to [0, 360), then snapped to a right angle.
    static func rotation(of stream: UnsafeMutablePointer<AVStream>) -> Int {
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nil) else { return 0 }
        let angle = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        guard angle.isFinite else { return 0 }
        var theta = -angle.rounded()
        theta -= 360 * (theta / 360 + 0.9 / 360).rounded(.down)
        for right in [0, 90, 180, 270, 360] where abs(theta - Double(right)) < 1.0 {
            return right % 360
        }
        return 0
    }
}
