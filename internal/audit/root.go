package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// IAMAPI is the part of the IAM client the root checks use.
type IAMAPI interface {
	GetAccountSummary(context.Context, *iam.GetAccountSummaryInput, ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
	ListVirtualMFADevices(context.Context, *iam.ListVirtualMFADevicesInput, ...func(*iam.Options)) (*iam.ListVirtualMFADevicesOutput, error)
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
		Remediation: "sign in as the root user, open Security credentials and delete every access key; use IAM roles for automation"}
	rootMFA = Result{ID: CheckRootMFA, Title: "MFA is enabled for the root user",
		CIS: "2.5", SecurityHub: "IAM.9", Prowler: "iam_root_mfa_enabled",
		Remediation: "sign in as the root user, open Security credentials and assign an MFA device (or enable centralized root access and remove the root credentials)"}
	rootHardwareMFA = Result{ID: CheckRootHardwareMFA, Title: "The root user's MFA is a hardware device",
		CIS: "2.6", SecurityHub: "IAM.6", Prowler: "iam_root_hardware_mfa_enabled",
		Remediation: "replace the root user's virtual MFA device with a hardware key (FIDO security key or hardware TOTP token) and delete the virtual device"}
	rootSigningCert = Result{ID: CheckRootSigningCert, Title: "The root user has no X.509 signing certificates",
		Remediation: "sign in as the root user, open Security credentials and delete the X.509 certificates"}
)

// rootVirtualMFASuffix ends the serial number of the root user's virtual MFA device
// (arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device), as Security Hub IAM.6 and Prowler read it.
const rootVirtualMFASuffix = ":mfa/root-account-mfa-device"

// RootChecks reads the account summary (iam:GetAccountSummary) and the virtual MFA devices
// (iam:ListVirtualMFADevices) and judges the root user's credentials.
func RootChecks(ctx context.Context, c IAMAPI) []Result {
	return rootChecks(ctx, c, func(ctx context.Context) (string, error) { return rootVirtualMFA(ctx, c) }, "iam:ListVirtualMFADevices")
}

// summaryAPI is the account summary call of the IAM client.
type summaryAPI interface {
	GetAccountSummary(context.Context, *iam.GetAccountSummaryInput, ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
}

// rootChecks judges the root user's credentials from the account summary; virtualMFA returns the
// serial number of the root user's virtual MFA device ("" for none) by calling mfaAction.
func rootChecks(ctx context.Context, c summaryAPI, virtualMFA func(context.Context) (string, error), mfaAction string) []Result {
	out, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		const a = "iam:GetAccountSummary"
		return []Result{Errored(rootAccessKeys, a, err), Errored(rootMFA, a, err), Errored(rootHardwareMFA, a, err), Errored(rootSigningCert, a, err)}
	}
	m := out.SummaryMap
	var rs []Result

	r := rootAccessKeys
	if n := m[string(types.SummaryKeyTypeAccountAccessKeysPresent)]; n > 0 {
		r.Status, r.Detail = Fail, fmt.Sprintf("the account summary says the root user has access keys (AccountAccessKeysPresent = %d)", n)
	} else {
		r.Status, r.Detail = Pass, "the account summary says the root user has no access keys (AccountAccessKeysPresent = 0)"
	}
	rs = append(rs, r)

	mfaOn := m[string(types.SummaryKeyTypeAccountMFAEnabled)] > 0
	r = rootMFA
	if mfaOn {
		r.Status, r.Detail = Pass, "the account summary says the root user has MFA (AccountMFAEnabled = 1)"
	} else {
		r.Status, r.Detail = Fail, "the account summary says the root user has no MFA device (AccountMFAEnabled = 0)"
	}
	rs = append(rs, r)

	r = rootHardwareMFA
	switch {
	case !mfaOn:
		r.Status, r.Detail = Fail, "the root user has no MFA device at all (see root-mfa)"
	default:
		serial, err := virtualMFA(ctx)
		switch {
		case err != nil:
			r = Errored(rootHardwareMFA, mfaAction, err)
		case serial != "":
			r.Status, r.Detail = Fail, "the root user's MFA is a virtual device ("+serial+")"
		default:
			r.Status, r.Detail = Pass, "the root user has MFA and no virtual MFA device is the root user's, so it is a hardware device"
		}
	}
	rs = append(rs, r)

	r = rootSigningCert
	if n := m[string(types.SummaryKeyTypeAccountSigningCertificatesPresent)]; n > 0 {
		r.Status, r.Detail = Fail, fmt.Sprintf("the account summary says the root user has signing certificates (AccountSigningCertificatesPresent = %d)", n)
	} else {
		r.Status, r.Detail = Pass, "the account summary says the root user has no signing certificates"
	}
	rs = append(rs, r)
	return rs
}

// rootVirtualMFA returns the serial number of the root user's virtual MFA device, or "". Every
// virtual device is listed (assigned or not), as Prowler lists them.
func rootVirtualMFA(ctx context.Context, c IAMAPI) (string, error) {
	p := iam.NewListVirtualMFADevicesPaginator(c, &iam.ListVirtualMFADevicesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", err
		}
		for _, d := range page.VirtualMFADevices {
			if d.SerialNumber != nil && strings.HasSuffix(*d.SerialNumber, rootVirtualMFASuffix) {
				return *d.SerialNumber, nil
			}
		}
	}
	return "", nil
}
