import AWSCore

/// Every environment variable and profile key credctl reads to configure itself, named once.
/// Only the settings resolvers in this folder (and the file, profile and region resolvers of
/// this module) read them; everything else takes the typed values they produce.
public enum SettingNames {
    // Credentials in the environment.
    public static let accessKeyId = "AWS_ACCESS_KEY_ID"
    public static let secretAccessKey = "AWS_SECRET_ACCESS_KEY"
    public static let sessionToken = "AWS_SESSION_TOKEN"
    public static let securityToken = "AWS_SECURITY_TOKEN"
    public static let credentialExpiration = "AWS_CREDENTIAL_EXPIRATION"
    public static let accountId = "AWS_ACCOUNT_ID"
    public static let accountIdEndpointMode = "AWS_ACCOUNT_ID_ENDPOINT_MODE"
    public static let newRetries2026 = "AWS_NEW_RETRIES_2026"
    // Web identity.
    public static let webIdentityTokenFile = "AWS_WEB_IDENTITY_TOKEN_FILE"
    public static let roleArn = "AWS_ROLE_ARN"
    public static let roleSessionName = "AWS_ROLE_SESSION_NAME"
    // Container endpoint.
    public static let containerRelativeURI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
    public static let containerFullURI = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
    public static let containerTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
    public static let containerToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
    // Instance metadata.
    public static let metadataDisabled = "AWS_EC2_METADATA_DISABLED"
    public static let metadataV1Disabled = "AWS_EC2_METADATA_V1_DISABLED"
    public static let metadataTimeout = "AWS_METADATA_SERVICE_TIMEOUT"
    public static let metadataAttempts = "AWS_METADATA_SERVICE_NUM_ATTEMPTS"
    public static let metadataEndpoint = "AWS_EC2_METADATA_SERVICE_ENDPOINT"
    public static let metadataEndpointMode = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"
    // STS, retries, endpoints, transport.
    public static let stsRegionalEndpoints = "AWS_STS_REGIONAL_ENDPOINTS"
    public static let retryMode = "AWS_RETRY_MODE"
    public static let maxAttempts = "AWS_MAX_ATTEMPTS"
    public static let endpointURL = "AWS_ENDPOINT_URL"
    public static let endpointURLPrefix = "AWS_ENDPOINT_URL_"
    public static let ignoreConfiguredEndpointURLs = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
    public static let caBundle = "AWS_CA_BUNDLE"
    // credctl's own.
    public static let cacheDirectory = "CREDCTL_CACHE_DIR"
    public static let stateDirectory = "CREDCTL_STATE_DIR"
    public static let vaultFile = ChildEnvironment.vaultFile
    public static let vaultBackend = ChildEnvironment.vaultBackend
    public static let vaultPassphrase = ChildEnvironment.vaultPassphrase
    public static let vaultPassphraseCommand = ChildEnvironment.vaultPassphraseCommand
    public static let agentSocket = "CREDCTL_AGENT_SOCKET"
    public static let processDepth = "CREDCTL_CREDENTIAL_PROCESS_DEPTH"
    public static let paramsPrefix = "CREDCTL_PARAMS_PREFIX"
    public static let paramsEnvironment = "CREDCTL_PARAMS_ENV"
    public static let consolePageSeconds = "CREDCTL_CONSOLE_PAGE_SECONDS"
    public static let federationEndpoint = "CREDCTL_FEDERATION_ENDPOINT"
    public static let execMarker = "CREDCTL_PROFILE"

    /// Profile keys, where a variable has a profile twin.
    public enum ProfileKey {
        public static let webIdentityTokenFile = "web_identity_token_file"
        public static let roleArn = "role_arn"
        public static let roleSessionName = "role_session_name"
        public static let credentialProcess = "credential_process"
        public static let accountId = "aws_account_id"
        public static let accountIdEndpointMode = "account_id_endpoint_mode"
        public static let metadataV1Disabled = "ec2_metadata_v1_disabled"
        public static let metadataTimeout = "metadata_service_timeout"
        public static let metadataAttempts = "metadata_service_num_attempts"
        public static let metadataEndpoint = "ec2_metadata_service_endpoint"
        public static let metadataEndpointMode = "ec2_metadata_service_endpoint_mode"
        public static let stsRegionalEndpoints = "sts_regional_endpoints"
        public static let retryMode = "retry_mode"
        public static let maxAttempts = "max_attempts"
        public static let caBundle = "ca_bundle"
    }
}
