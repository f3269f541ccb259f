import AWSCore

/// Replaces credctl with a command whose environment carries credentials (and, for `params
/// exec`, parameters): credctl's exit status becomes the command's own.
public enum ExecLaunch {
    /// Returns only when the command cannot be started: the error (exit 127).
    public static func replaceProcess(with command: [String], environment: [String: String]) -> ExecFailure {
        ExecFailure(launch: Subprocess.replaceProcess(command, environment: environment))
    }
}

/// A command that could not be started.
public struct ExecFailure: ReportableError {
    public var launch: Subprocess.LaunchError
    public var description: String { launch.description }
    /// As a shell says of a command it cannot run: 127.
    public var exitStatus: ExitStatus { .commandNotRun }
}
