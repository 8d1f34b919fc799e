// The one place that turns oneDNN status codes into `DNNLError`s. Every call into the C API that
// returns a `dnnl_status_t` goes through `check`, which names the call, oneDNN's own status name
// (`dnnl_status2str`) and what vidact was doing, so a failure reads as a sentence. oneDNN reports
// unsupported shapes and layouts as `unimplemented` when a primitive descriptor is created; those
// arrive here too and are thrown, not trapped.
import Basics
import CDNNL

/// A oneDNN call that did not return `dnnl_success`.
public struct DNNLError: VidactError, Sendable, Equatable, CustomStringConvertible {
    /// oneDNN's status, as an exhaustive Swift enum (`unknown` for codes newer than 2.6).
    public enum Status: String, Sendable, CaseIterable {
        case outOfMemory
        case invalidArguments
        /// No implementation of the primitive for these shapes, layouts, attributes or this CPU.
        case unimplemented
        case iteratorEnds
        case runtimeError
        case notRequired
        case unknown
    }

    public let status: Status
    /// oneDNN's name for the status (`dnnl_status2str`, e.g. "unimplemented").
    public let statusName: String
    /// The raw status code.
    public let code: Int
    /// The C function that failed.
    public let call: String
    /// What vidact was doing, e.g. "creating a convolution for [1, 32, 112, 112]".
    public let what: String

    public init(status: Status, statusName: String, code: Int, call: String, what: String) {
        self.status = status
        self.statusName = statusName
        self.code = code
        self.call = call
        self.what = what
    }

    /// One line: what failed, the call and oneDNN's status.
    public var description: String {
        "oneDNN: \(what) failed: \(call) returned \(statusName) (\(code))"
    }
}

extension DNNLError.Status {
    init(_ status: dnnl_status_t) {
        switch status {
        case dnnl_out_of_memory: self = .outOfMemory
        case dnnl_invalid_arguments: self = .invalidArguments
        case dnnl_unimplemented: self = .unimplemented
        case dnnl_iterator_ends: self = .iteratorEnds
        case dnnl_runtime_error: self = .runtimeError
        case dnnl_not_required: self = .notRequired
        default: self = .unknown
        }
    }
}

/// Returns when `status` is `dnnl_success`; otherwise throws a `DNNLError` naming `call` and
/// `what`.
func check(_ status: dnnl_status_t, _ call: String, _ what: @autoclosure () -> String) throws {
    guard status != dnnl_success else { return }
    throw DNNLError(
        status: DNNLError.Status(status), statusName: statusText(status), code: Int(status.rawValue), call: call,
        what: what())
}

/// oneDNN's name for a status (`dnnl_status2str`), also for trap messages.
func statusText(_ status: dnnl_status_t) -> String {
    dnnl_status2str(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
}
