// The one protocol every error of vidact's modules conforms to, so that `main` maps any failure to
// its documented exit status without knowing the concrete type, and so that callers can ask for
// the errno behind a failure (a full disk is recognised by `ENOSPC`, never by message text).
//
// Exit statuses (README "Commands"): 1 some inputs failed (the default), 2 a usage or
// configuration error, 3 the workdir is locked by another run.

/// An error of vidact: a one-line description naming the file, what is wrong and what to do.
public protocol VidactError: Error, CustomStringConvertible {
    /// The process exit status when this error reaches `main`.
    var exitStatus: Int32 { get }
    /// The errno of the failed system call behind this error, when there is one.
    var errno: Int32? { get }
}

extension VidactError {
    public var exitStatus: Int32 { 1 }
    public var errno: Int32? { nil }
}

/// The errno behind `error`, looking through `VidactError`.
public func errnoOf(_ error: Error) -> Int32? {
    (error as? VidactError)?.errno
}
