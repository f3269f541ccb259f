// The platform layer (files, locks, processes, streams, clocks, the environment) is part of
// what every module built on AWSCore uses; importing AWSCore brings it.
@_exported import Platform
