"""The reference for `credctl keys audit --org` in scripts/bench_org.py: the boto3 script a team
writes today, walking the organisation one call at a time (accounts, AssumeRole, ListUsers,
ListAccessKeys, GetAccessKeyLastUsed) and printing the findings as JSON.

    python3 scripts/org_audit_boto3.py --endpoint-url URL [--max-age-days 90] [--unused-days 30]
(credentials from the environment)"""
import argparse
import json
import time

import boto3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint-url")
    p.add_argument("--role-name", default="OrganizationAccountAccessRole")
    p.add_argument("--max-age-days", type=int, default=90)
    p.add_argument("--unused-days", type=int, default=30)
    a = p.parse_args()
    session = boto3.session.Session(region_name="us-east-1")
    sts = session.client("sts", endpoint_url=a.endpoint_url)
    caller = sts.get_caller_identity()["Account"]
    orgs = session.client("organizations", endpoint_url=a.endpoint_url)
    now = int(time.time())
    findings, failed, users = [], [], 0
    for page in orgs.get_paginator("list_accounts").paginate():
        for account in page["Accounts"]:
            if account["Status"] != "ACTIVE":
                continue
            try:
                if account["Id"] == caller:
                    iam = session.client("iam", endpoint_url=a.endpoint_url)
                else:
                    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account['Id']}:role/{a.role_name}", RoleSessionName="audit")["Credentials"]
                    iam = boto3.client("iam", endpoint_url=a.endpoint_url, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                                       aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
                for upage in iam.get_paginator("list_users").paginate():
                    for user in upage["Users"]:
                        users += 1
                        for key in iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]:
                            last = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"].get("LastUsedDate")
                            if key["Status"] != "Active":
                                continue
                            created = int(key["CreateDate"].timestamp())
                            where = {"AccountId": account["Id"], "UserName": user["UserName"], "AccessKeyId": key["AccessKeyId"]}
                            if now - created > a.max_age_days * 86400:
                                findings.append(dict(where, Finding="too-old"))
                            idle_since = int(last.timestamp()) if last else created
                            if now - idle_since > a.unused_days * 86400:
                                findings.append(dict(where, Finding="unused"))
            except Exception as e:  # noqa: BLE001 - one account's failure must not stop the others
                failed.append({"AccountId": account["Id"], "Error": str(e)})
    print(json.dumps({"Findings": findings, "Failed": failed, "UsersChecked": users}))


if __name__ == "__main__":
    main()
