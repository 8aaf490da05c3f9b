package awsenv

import "strings"

// KMS's key policy lockout safety check: unless CreateKey or PutKeyPolicy is called with
// BypassPolicyLockoutSafetyCheck, "the key policy must allow the calling principal to make a
// subsequent PutKeyPolicy request on the KMS key", and KMS refuses any other policy with
// MalformedPolicyDocumentException.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-BypassPolicyLockoutSafetyCheck
//
// The key policies internal/policy writes grant kms:* (PutKeyPolicy included) to their administrators
// only (its keyAdministration), so the check passes exactly when the deploying principal is one of
// them, or the account root is (which delegates the decision to the account's IAM policies).

// CallerPrincipal is the key-policy principal that a caller ARN, as sts:GetCallerIdentity reports
// it, acts as: an assumed-role session (arn:P:sts::A:assumed-role/ROLE/SESSION) acts as its role,
// written arn:P:iam::A:role/ROLE (without the role's path, which the session ARN does not show);
// every other caller (an IAM user, the root user) as itself.
func CallerPrincipal(callerARN string) string {
	c, ok := ParseARN(callerARN)
	if !ok || c.Service != "sts" {
		return callerARN
	}
	if rest, ok := strings.CutPrefix(c.Resource, "assumed-role/"); ok {
		if role, _, ok := strings.Cut(rest, "/"); ok && role != "" {
			return ARN(c.Partition, "iam", "", c.Account, "role/"+role)
		}
	}
	return callerARN
}

// AdminsCoverCaller reports whether a key policy whose administrators are admins (none means the
// account root, as in policy's keyAdministration) lets callerARN make the PutKeyPolicy request KMS's lockout
// safety check asks for. It holds when admins is empty, when it holds the account root of the
// caller's account (arn:P:iam::A:root: the account's IAM policies decide), or when it names the
// caller's own user or role.
//
// Users and roles are compared by account, kind and name, ignoring the path: an assumed-role ARN
// carries the role's name but not its path (role/some/path/ROLE is assumed as
// assumed-role/ROLE/SESSION; IAM Identity Center roles live under aws-reserved/sso.amazonaws.com/),
// and a user or role name is unique within its account whatever its path, so the last path segment
// identifies the principal.
func AdminsCoverCaller(admins []string, callerARN string) bool {
	if len(admins) == 0 {
		return true
	}
	principal := CallerPrincipal(callerARN)
	c, ok := ParseARN(principal)
	for _, a := range admins {
		if a == principal || a == callerARN {
			return true
		}
		if !ok {
			continue
		}
		p, aok := ParseARN(a)
		if !aok || p.Partition != c.Partition || p.Account != c.Account || p.Service != "iam" {
			continue
		}
		if p.Resource == "root" {
			return true
		}
		if c.Service != "iam" {
			continue
		}
		cKind, cName := kindAndName(c.Resource)
		aKind, aName := kindAndName(p.Resource)
		if (cKind == "role" || cKind == "user") && cKind == aKind && cName != "" && cName == aName {
			return true
		}
	}
	return false
}

// kindAndName splits an IAM resource such as role/some/path/ROLE into "role" and "ROLE".
func kindAndName(res string) (kind, name string) {
	kind, rest, ok := strings.Cut(res, "/")
	if !ok {
		return res, ""
	}
	return kind, rest[strings.LastIndex(rest, "/")+1:]
}
