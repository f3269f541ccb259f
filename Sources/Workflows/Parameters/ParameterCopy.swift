import AWSClients
import AWSCore

/// What `params copy` writes for each source parameter: its value and type, and the attributes
/// Parameter Store keeps beside them — the tier (an Advanced parameter stays Advanced, so a
/// value over 4 KB copies), the KMS key of a SecureString, the description, the data type
/// (`aws:ec2:image`), and with `--tags` its tags — or, for what it cannot keep (parameter
/// policies, which belong to the source's lifecycle), a note the report shows. Nothing is
/// dropped silently.
enum ParameterCopy {
    static func requests(_ parameters: [Parameter], from src: String, to dst: String, store: ParameterStore,
                         tags: Bool) throws(AWSError) -> [(request: PutParameterRequest, notKept: [String])] {
        let metadata = Dictionary(try store.list(path: src, recursive: true).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let tagLists: [[Tag]]
        if tags {
            let read = ConcurrentWork.map(parameters, width: ParameterStore.readWidth) { [ssm = store.ssm] p in
                Result { () throws(AWSError) in try ssm.listTags(ofParameter: p.name) }
            }
            tagLists = try read.map { r throws(AWSError) in try r.get() }
        } else {
            tagLists = Array(repeating: [], count: parameters.count)
        }
        return try zip(parameters, tagLists).map { p, tagList throws(AWSError) in
            guard let m = metadata[p.name] else {
                throw .invalidResponse(operation: "ssm:DescribeParameters", detail: "\(p.name) is not listed, so its tier, key and description are unknown")
            }
            let name = ParameterRoot.name(ParameterRoot.relativeName(p.name, under: src), under: dst)
            var notKept: [String] = []
            if m.policyCount > 0 { notKept.append("\(m.policyCount) parameter polic\(m.policyCount == 1 ? "y" : "ies")") }
            let request = PutParameterRequest(name: name, value: p.value, type: p.type, description: m.description,
                                              keyId: p.type == .secureString ? m.keyId : nil, tier: m.tier, tags: tagList,
                                              dataType: p.dataType == "text" ? nil : p.dataType)
            return (request, notKept)
        }
    }
}
