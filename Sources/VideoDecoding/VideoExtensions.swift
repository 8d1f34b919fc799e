// The file extensions that count as videos when a folder is walked (`vidact probe DIR`, `features
// extract DIR`, and a pipeline's `dataset.extensions` when the file does not set it): the
// containers FFmpeg reads that people keep video in, from phones and cameras (mp4, mov, 3gp, mts /
// m2ts AVCHD), broadcast and archives (mxf, ts, vob, ogv Theora, asf / wmv, flv) and the web
// (webm, mkv). A name is matched on its last extension, case-insensitively.
public enum VideoExtensions {
    /// Lower case, sorted.
    public static let defaults: [String] = [
        "3gp", "asf", "avi", "flv", "m2ts", "m4v", "mkv", "mov", "mp4", "mpeg", "mpg", "mts", "mxf", "ogv", "ts",
        "vob", "webm", "wmv",
    ]
}
