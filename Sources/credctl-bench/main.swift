// Signing throughput for scripts/bench.sh: signs the same requests the Python side signs with
// botocore's SigV4Auth, and prints requests signed per second.
//
//   credctl-bench sign COUNT
import SigV4
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count == 3, arguments[1] == "sign", let count = Int(arguments[2]), count > 0 else {
    print("usage: credctl-bench sign COUNT")
    exit(2)
}

/// The requests both sides sign: a query-protocol POST, a JSON-protocol POST and a GET with a query.
let requests: [(String, SignableRequest)] = [
    ("sts", SignableRequest(method: "POST", path: "/", headers: [
        ("Host", "sts.us-east-1.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
        payload: .bytes(Array("Action=GetCallerIdentity&Version=2011-06-15".utf8)))),
    ("ssm", SignableRequest(method: "POST", path: "/", headers: [
        ("Host", "ssm.us-east-1.amazonaws.com"), ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AmazonSSM.GetParametersByPath")],
        payload: .bytes(Array(#"{"Path":"/ELASMETRICS/STAGING","Recursive":true,"WithDecryption":true}"#.utf8)))),
    ("iam", SignableRequest(method: "GET", path: "/", query: "Action=ListAccessKeys&UserName=grafana-dynamodb-user&Version=2010-05-08",
        headers: [("Host", "iam.amazonaws.com")])),
]
let credentials = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
let cache = SigningKeyCache()
let signers = requests.map { SigV4Signer(credentials: credentials, region: "us-east-1", service: $0.0, keyCache: cache) }
let date = SigningDate(amzDate: "20261123T000000Z")!

var checksum = 0
let start = now()
for i in 0..<count {
    let k = i % requests.count
    checksum &+= signers[k].sign(requests[k].1, at: date).signature.utf8.count
}
let elapsed = now() - start
print("signed \(count) requests in \(elapsed) s: \(Int(Double(count) / elapsed)) per second (checksum \(checksum))")
