package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/rootwatch/rootwatch/internal/awsenv"
)

// IAMAPI is the part of the IAM client the root checks use.
type IAMAPI interface {
	GetAccountSummary(
		context.Context,
		*iam.GetAccountSummaryInput,
		...func(*iam.Options),
	) (*iam.GetAccountSummaryOutput, error)
	ListVirtualMFADevices(
		context.Context,
		*iam.ListVirtualMFADevicesInput,
		...func(*iam.Options),
	) (*iam.ListVirtualMFADevicesOutput, error)
}

// Root check ids.
const (
	CheckRootAccessKeys  = "root-access-keys"
	CheckRootMFA         = "root-mfa"
	CheckRootHardwareMFA = "root-hardware-mfa"
	CheckRootSigningCert = "root-signing-certificates"
)

var (
	rootAccessKeys = Result{ID: CheckRootAccessKeys, Title: "The root user has no access keys",
		CIS: "2.4", SecurityHub: "IAM.4", Prowler: "iam_no_root_access_key",
		Remediation: "sign in as the root user, open Security credentials and delete every access key; use IAM " +
			"roles for automation"}
	rootMFA = Result{ID: CheckRootMFA, Title: "MFA is enabled for the root user",
		CIS: "2.5", SecurityHub: "IAM.9", Prowler: "iam_root_mfa_enabled",
		Remediation: "sign in as the root user, open Security credentials and assign an MFA device (or enable " +
			"centralized root access and remove the root credentials)"}
	rootHardwareMFA = Result{ID: CheckRootHardwareMFA, Title: "The root user's MFA is a hardware device",
		CIS: "2.6", SecurityHub: "IAM.6", Prowler: "iam_root_hardware_mfa_enabled",
		Remediation: "replace the root user's virtual MFA device with a hardware key (FIDO security key or hardware " +
			"TOTP token) and delete the virtual device"}
	rootSigningCert = Result{ID: CheckRootSigningCert, Title: "The root user has no X.509 signing certificates",
		Remediation: "sign in as the root user, open Security credentials and delete the X.509 certificates"}
)

// RootChecks reads the account summary (iam:GetAccountSummary) and the virtual MFA devices
// assigned to the root user (iam:ListVirtualMFADevices) and judges the root user's credentials.
func RootChecks(ctx context.Context, c IAMAPI) []Result {
	return rootChecks(ctx, c, rootReader{
		virtualMFA: func(ctx context.Context) ([]string, error) { return rootVirtualMFA(ctx, c) },
		mfaAction:  "iam:ListVirtualMFADevices",
		password:   summaryPassword, passwordAction: "iam:GetAccountSummary",
	})
}

// summaryAPI is the account summary call of the IAM client.
type summaryAPI interface {
	GetAccountSummary(
		context.Context,
		*iam.GetAccountSummaryInput,
		...func(*iam.Options),
	) (*iam.GetAccountSummaryOutput, error)
}

// rootReader reads what the account summary does not say about the root user, in the way the
// caller's path allows (RootChecks: an IAM principal of the account; MemberRootChecks: a root
// session under AuditTaskPolicy).
type rootReader struct {
	// virtualMFA returns the serial numbers of the virtual MFA devices assigned to the root user.
	virtualMFA func(context.Context) ([]string, error)
	mfaAction  string
	// password says whether the root user has a password: known false when the path cannot
	// tell, err when the read failed.
	password       func(ctx context.Context, summary map[string]int32) (present, known bool, source string, err error)
	passwordAction string
}

// summaryPassword reads the account summary's AccountPasswordPresent (1 when the root user has a
// password), which IAM added with centralized root access; a summary without the key cannot tell.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html
func summaryPassword(_ context.Context, m map[string]int32) (present, known bool, source string, err error) {
	n, ok := m[string(types.SummaryKeyTypeAccountPasswordPresent)]
	return n > 0, ok, fmt.Sprintf("AccountPasswordPresent = %d", n), nil
}

// rootChecks judges the root user's credentials from the account summary and r.
//
// A root user with no credentials at all (no password, no access keys, no signing certificates,
// no MFA device) passes root-mfa and root-hardware-mfa as "no root credentials": with centralized
// root access, deleting a member account's root credentials is AWS's recommended end state
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management),
// and nobody can sign in as that root user without first recovering its password. Only when every
// one of them is known to be absent: a password that cannot be read is an ERROR, one the path
// cannot tell about (a summary without AccountPasswordPresent) leaves the missing MFA a FAIL.
func rootChecks(ctx context.Context, c summaryAPI, r rootReader) []Result {
	out, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		const a = "iam:GetAccountSummary"
		return []Result{
			Errored(rootAccessKeys, a, err),
			Errored(rootMFA, a, err),
			Errored(rootHardwareMFA, a, err),
			Errored(rootSigningCert, a, err),
		}
	}
	m := out.SummaryMap
	keys := m[string(types.SummaryKeyTypeAccountAccessKeysPresent)]
	certs := m[string(types.SummaryKeyTypeAccountSigningCertificatesPresent)]
	mfaOn := m[string(types.SummaryKeyTypeAccountMFAEnabled)] > 0
	var rs []Result

	res := rootAccessKeys
	if keys > 0 {
		res.Status, res.Detail = Fail, fmt.Sprintf("the account summary says the root user has access keys "+
			"(AccountAccessKeysPresent = %d)", keys)
	} else {
		res.Status, res.Detail = Pass, "the account summary says the root user has no access keys "+
			"(AccountAccessKeysPresent = 0)"
	}
	rs = append(rs, res)

	mfa, hw := rootMFA, rootHardwareMFA
	switch {
	case mfaOn:
		mfa.Status, mfa.Detail = Pass, "the account summary says the root user has MFA (AccountMFAEnabled = 1)"
		serials, err := r.virtualMFA(ctx)
		switch {
		case err != nil:
			hw = Errored(rootHardwareMFA, r.mfaAction, err)
		case len(serials) > 0:
			hw.Status, hw.Detail = Fail, "the root user's MFA includes a virtual device ("+strings.Join(
				serials,
				", ",
			)+")"
		default:
			hw.Status, hw.Detail = Pass, "the root user has MFA and no virtual MFA device is assigned to it, so its "+
				"devices are hardware (security keys, passkeys or hardware TOTP tokens)"
		}
	case keys > 0 || certs > 0:
		mfa.Status, mfa.Detail = Fail, "the account summary says the root user has no MFA device "+
			"(AccountMFAEnabled = 0)"
		hw.Status, hw.Detail = Fail, "the root user has no MFA device at all (see root-mfa)"
	default:
		present, known, source, err := r.password(ctx, m)
		switch {
		case err != nil:
			mfa = Errored(rootMFA, r.passwordAction, err)
			hw = Errored(rootHardwareMFA, r.passwordAction, err)
		case known && !present:
			const d = "no root credentials: the root user has no password (%s), no access keys, no signing " +
				"certificates and no MFA device, as centralized root access leaves a member account whose root " +
				"credentials were deleted"
			mfa.Status, mfa.Detail = Pass, fmt.Sprintf(d, source)
			hw.Status, hw.Detail = Pass, fmt.Sprintf(d, source)
		default:
			mfa.Status, mfa.Detail = Fail, "the account summary says the root user has no MFA device "+
				"(AccountMFAEnabled = 0)"
			if known {
				mfa.Detail += " and it has a password (" + source + ")"
			}
			hw.Status, hw.Detail = Fail, "the root user has no MFA device at all (see root-mfa)"
		}
	}
	rs = append(rs, mfa, hw)

	res = rootSigningCert
	if certs > 0 {
		res.Status, res.Detail = Fail, fmt.Sprintf("the account summary says the root user has signing certificates "+
			"(AccountSigningCertificatesPresent = %d)", certs)
	} else {
		res.Status, res.Detail = Pass, "the account summary says the root user has no signing certificates"
	}
	rs = append(rs, res)
	return rs
}

// rootVirtualMFA returns the serial numbers of the virtual MFA devices assigned to the root user:
// ListVirtualMFADevices with AssignmentStatus Assigned, each device's User the root user
// (arn:PARTITION:iam::ACCOUNT:root). A device's name proves nothing: the console lets the root user
// name its device (an old console named it root-account-mfa-device), and an unassigned device of
// any name is nobody's. Security keys and passkeys are not virtual devices and are never listed
// here. https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html
func rootVirtualMFA(ctx context.Context, c IAMAPI) ([]string, error) {
	var serials []string
	p := iam.NewListVirtualMFADevicesPaginator(
		c,
		&iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAssigned},
	)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range page.VirtualMFADevices {
			if d.User != nil && isRootUserARN(aws.ToString(d.User.Arn)) {
				serials = append(serials, aws.ToString(d.SerialNumber))
			}
		}
	}
	return serials, nil
}

// isRootUserARN says whether arn is a root user's ARN, arn:PARTITION:iam::ACCOUNT:root (any
// partition). ListVirtualMFADevices lists the caller's account's devices only, so the root user it
// names is that account's; no IAM user's ARN has the resource "root" (theirs is user/...).
func isRootUserARN(arn string) bool {
	p, ok := awsenv.ParseARN(arn)
	return ok && p.Service == "iam" && p.Region == "" && awsenv.IsAccountID(p.Account) && p.Resource == "root"
}

// isVirtualMFASerial says whether an MFA device's serial number is a virtual device's ARN,
// arn:PARTITION:iam::ACCOUNT:mfa/NAME (hardware TOTP tokens have plain serial numbers, security
// keys and passkeys u2f/ ARNs). https://docs.aws.amazon.com/IAM/latest/APIReference/API_MFADevice.html
func isVirtualMFASerial(serial string) bool {
	p, ok := awsenv.ParseARN(serial)
	return ok && p.Service == "iam" && strings.HasPrefix(p.Resource, "mfa/")
}
