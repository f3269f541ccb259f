/// Variable names that change how a process, its shell, its loader or its AWS SDK behaves:
/// a parameter exported under one of them would let whoever can write under the path control
/// the launched program (`PATH`, `LD_PRELOAD`, `BASH_ENV`), or its credentials and endpoints
/// (`AWS_*`). `params export` and `params exec` refuse them unless the user allows each name.
public enum EnvironmentNameRules {
    /// Names refused as they are.
    public static let exact: Set<String> = [
        "PATH", "HOME", "SHELL", "IFS", "ENV", "BASH_ENV", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS",
        "CDPATH", "GLOBIGNORE", "LOCPATH", "NLSPATH", "GCONV_PATH", "HOSTALIASES", "RESOLV_HOST_CONF",
        "GLIBC_TUNABLES", "MALLOC_CHECK_", "NODE_OPTIONS", "NODE_PATH", "NODE_EXTRA_CA_CERTS", "PERL5OPT", "PERL5LIB", "PERLLIB",
        "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "GEM_PATH", "GEM_HOME",
        "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH",
        "EDITOR", "VISUAL", "PAGER", "KUBECONFIG", "DOCKER_HOST",
    ]

    /// Prefixes refused: the dynamic loader (glibc, macOS), Python's and credctl's own settings,
    /// every AWS SDK setting (credentials, profiles, files, endpoints, regions).
    public static let prefixes = ["LD_", "DYLD_", "PYTHON", "AWS_", "CREDCTL_", "BASH_FUNC_"]

    /// Why `name` may not be exported, or nil when it may.
    public static func problem(_ name: String) -> String? {
        if exact.contains(name) || prefixes.contains(where: { name.hasPrefix($0) }) {
            return "\(name) changes how a program, its shell or its AWS SDK behaves"
        }
        return nil
    }
}
