/// The two places a vault keeps its entries.
public enum VaultBackendKind: String, Sendable, CaseIterable {
    /// One encrypted file (works everywhere: headless servers, CI).
    case file
    /// The desktop's Secret Service (GNOME Keyring, KWallet) through `secret-tool`.
    case secretService = "secret-service"
}
