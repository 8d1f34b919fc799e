// Quoting for POSIX shells (bash scripts, Slurm and Kubernetes command lines, crontab lines).

/// POSIX shell quoting.
public enum Shell {
    /// `text` as one shell word: single-quoted, with each `'` written as `'\''`.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
