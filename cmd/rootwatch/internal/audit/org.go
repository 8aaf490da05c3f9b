package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/rootwatch/rootwatch/internal/awsenv"
)

// CheckRootCentralizedAccess is the id of the check on the organization's centralized root access.
const CheckRootCentralizedAccess = "root-centralized-access"

var rootCentralizedAccess = Result{ID: CheckRootCentralizedAccess,
	Title: "Centralized root access (root credentials management and root sessions) is enabled for the organization",
	CIS:   "2.1.1", Prowler: "iam_root_credentials_management_enabled",
	Remediation: "from the management account: aws organizations enable-aws-service-access --service-principal " +
		"iam.amazonaws.com, " +
		"then aws iam enable-organizations-root-credentials-management and aws iam enable-organizations-root-sessions"}

// OrganizationAPI is the part of the Organizations client the organization checks use.
type OrganizationAPI interface {
	DescribeOrganization(
		context.Context,
		*organizations.DescribeOrganizationInput,
		...func(*organizations.Options),
	) (*organizations.DescribeOrganizationOutput, error)
}

// OrgFeaturesAPI is the IAM call that lists the organization's centralized root access features.
type OrgFeaturesAPI interface {
	ListOrganizationsFeatures(
		context.Context,
		*iam.ListOrganizationsFeaturesInput,
		...func(*iam.Options),
	) (*iam.ListOrganizationsFeaturesOutput, error)
}

// CentralizedRootAccessCheck judges whether the organization the account is in has centralized
// root access on: both features ListOrganizationsFeatures reports, RootCredentialsManagement
// (the management account and IAM's delegated administrator can audit and delete member accounts'
// root credentials) and RootSessions (sts:AssumeRoot privileged tasks).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
func CentralizedRootAccessCheck(ctx context.Context, org OrganizationAPI, c OrgFeaturesAPI) Result {
	r := rootCentralizedAccess
	desc, err := org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	var notInOrg *orgtypes.AWSOrganizationsNotInUseException
	switch {
	case errors.As(err, &notInOrg):
		// Centralized root access exists only in AWS Organizations. Result has no "not
		// applicable" status, and an account outside an organization has nothing to fix here, so
		// it passes, with the detail saying why.
		r.Status, r.Detail = Pass, "not applicable: the account is not in an organization (centralized root access "+
			"exists only in AWS Organizations)"
		return r
	case err != nil:
		return Errored(r, "organizations:DescribeOrganization", err)
	}
	orgID, mgmt := "", ""
	if desc.Organization != nil {
		orgID, mgmt = aws.ToString(desc.Organization.Id), aws.ToString(desc.Organization.MasterAccountId)
	}
	out, err := c.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	var member *iamtypes.AccountNotManagementOrDelegatedAdministratorException
	var noTrust *iamtypes.ServiceAccessNotEnabledException
	var notAll *iamtypes.OrganizationNotInAllFeaturesModeException
	switch {
	case errors.As(err, &member):
		// Only the management account and IAM's delegated administrator may read the features.
		// A member account has nothing to fix itself; the audit says it did not look (WARN, so
		// auditing a workload account does not end in "could not run").
		r.Status = Warn
		r.Detail = fmt.Sprintf("not checked: the account is a member of %s, neither its management account (%s) nor "+
			"IAM's delegated administrator, which alone can list the organization's root access features", orgID, mgmt)
		r.Remediation = "run rootwatch audit (or rootwatch audit --organization) from the management account or " +
			"IAM's delegated administrator"
		return r
	case errors.As(err, &noTrust):
		r.Status = Fail
		r.Detail = fmt.Sprintf("trusted access for IAM is not enabled in %s, so centralized root access is off", orgID)
		return r
	case errors.As(err, &notAll):
		r.Status = Fail
		r.Detail = fmt.Sprintf("%s does not have all features enabled (consolidated billing only), which centralized "+
			"root access needs", orgID)
		r.Remediation = "enable all features in the organization (aws organizations enable-all-features), then " +
			r.Remediation
		return r
	case err != nil:
		return Errored(r, "iam:ListOrganizationsFeatures", err)
	}
	on := map[iamtypes.FeatureType]bool{}
	for _, f := range out.EnabledFeatures {
		on[f] = true
	}
	var missing []string
	for _, f := range []iamtypes.FeatureType{
		iamtypes.FeatureTypeRootCredentialsManagement, iamtypes.FeatureTypeRootSessions,
	} {
		if !on[f] {
			missing = append(missing, string(f))
		}
	}
	if len(missing) == 0 {
		r.Status, r.Detail = Pass, fmt.Sprintf(
			"%s has RootCredentialsManagement and RootSessions enabled",
			aws.ToString(out.OrganizationId),
		)
		return r
	}
	r.Status = Fail
	r.Detail = fmt.Sprintf(
		"%s lacks %s (enabled: %s)",
		orgID,
		strings.Join(missing, " and "),
		enabledList(out.EnabledFeatures),
	)
	var cmds []string
	for _, m := range missing {
		if m == string(iamtypes.FeatureTypeRootCredentialsManagement) {
			cmds = append(cmds, "aws iam enable-organizations-root-credentials-management")
		} else {
			cmds = append(cmds, "aws iam enable-organizations-root-sessions")
		}
	}
	r.Remediation = "from the management account: " + strings.Join(cmds, " and ")
	return r
}

func enabledList(fs []iamtypes.FeatureType) string {
	if len(fs) == 0 {
		return "none"
	}
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// AuditTaskPolicy is the AWS managed policy that scopes an sts:AssumeRoot session to auditing
// the member account's root credentials. It denies every action but iam:GetAccountSummary,
// iam:GetUser, iam:GetLoginProfile, iam:ListAccessKeys, iam:GetAccessKeyLastUsed,
// iam:ListMFADevices and iam:ListSigningCertificates (those only on the root user): no
// iam:ListVirtualMFADevices and no credential report.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html#security-iam-awsmanpol-IAMAuditRootUserCredentials
const AuditTaskPolicy = "policy/root-task/IAMAuditRootUserCredentials"

// rootSessionSeconds is the longest root session AssumeRoot grants (15 minutes).
const rootSessionSeconds = 900

// MemberIAMAPI is what a member account's root checks call, within what AuditTaskPolicy allows.
type MemberIAMAPI interface {
	summaryAPI
	ListMFADevices(context.Context, *iam.ListMFADevicesInput, ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error)
	GetUser(context.Context, *iam.GetUserInput, ...func(*iam.Options)) (*iam.GetUserOutput, error)
	ListAccessKeys(context.Context, *iam.ListAccessKeysInput, ...func(*iam.Options)) (*iam.ListAccessKeysOutput, error)
	GetAccessKeyLastUsed(
		context.Context,
		*iam.GetAccessKeyLastUsedInput,
		...func(*iam.Options),
	) (*iam.GetAccessKeyLastUsedOutput, error)
	GetLoginProfile(
		context.Context,
		*iam.GetLoginProfileInput,
		...func(*iam.Options),
	) (*iam.GetLoginProfileOutput, error)
}

// MemberRootUse is root-recent-use as a root session under AuditTaskPolicy can judge it, without
// the credential report (which the policy denies): the session's own user, the root user, gives
// PasswordLastUsed (iam:GetUser), its access keys (iam:ListAccessKeys) and each key's last use
// (iam:GetAccessKeyLastUsed). The same judgment as the report's, on the same dates.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html
func MemberRootUse(ctx context.Context, c MemberIAMAPI, now time.Time) Result {
	var u rootUse
	user, err := c.GetUser(ctx, &iam.GetUserInput{})
	if err != nil {
		return Errored(rootRecentUse, "iam:GetUser", err)
	}
	if user.User != nil && user.User.PasswordLastUsed != nil {
		u.passwordLastUsed = *user.User.PasswordLastUsed
	}
	p := iam.NewListAccessKeysPaginator(c, &iam.ListAccessKeysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Errored(rootRecentUse, "iam:ListAccessKeys", err)
		}
		for _, k := range page.AccessKeyMetadata {
			used, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			if err != nil {
				return Errored(rootRecentUse, "iam:GetAccessKeyLastUsed", err)
			}
			key := rootKey{
				n:           len(u.keys) + 1,
				active:      k.Status == iamtypes.StatusTypeActive,
				lastRotated: aws.ToTime(k.CreateDate),
			}
			if used.AccessKeyLastUsed != nil {
				key.lastUsed = aws.ToTime(used.AccessKeyLastUsed.LastUsedDate)
			}
			u.keys = append(u.keys, key)
		}
	}
	return judgeRootUse(u, now, "the root user's IAM data")
}

// MemberRootChecks are RootChecks as a root session under AuditTaskPolicy can run them: the same
// account summary and the same judgment (rootChecks), but the root user's virtual MFA devices are
// found with iam:ListMFADevices (the session's own devices, the root user's) instead of
// iam:ListVirtualMFADevices, which the policy denies, and its password with iam:GetLoginProfile
// without a user name, which in a root session is the root user's ("When you make this request with
// root user credentials, you must use an AssumeRoot session to omit the user name"); NoSuchEntity
// means no password ("If the user does not exist or does not have a password, the operation returns
// a 404 (NoSuchEntity) error"): https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html
func MemberRootChecks(ctx context.Context, c MemberIAMAPI) []Result {
	return rootChecks(ctx, c, rootReader{
		virtualMFA: func(ctx context.Context) ([]string, error) {
			var serials []string
			p := iam.NewListMFADevicesPaginator(c, &iam.ListMFADevicesInput{})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				for _, d := range page.MFADevices {
					if s := aws.ToString(d.SerialNumber); isVirtualMFASerial(s) {
						serials = append(serials, s)
					}
				}
			}
			return serials, nil
		},
		mfaAction: "iam:ListMFADevices",
		password: func(ctx context.Context, _ map[string]int32) (bool, bool, string, error) {
			_, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
			var none *iamtypes.NoSuchEntityException
			switch {
			case errors.As(err, &none):
				return false, true, "GetLoginProfile: NoSuchEntity", nil
			case err != nil:
				return false, false, "", err
			}
			return true, true, "GetLoginProfile returned a login profile", nil
		},
		passwordAction: "iam:GetLoginProfile",
	})
}

// memberChecks are the bases of MemberRootChecks' results, for the ERROR results of an account
// whose root session could not be opened.
var memberChecks = []Result{rootAccessKeys, rootMFA, rootHardwareMFA, rootSigningCert, rootRecentUse}

// OrgOptions configure RunOrganization.
type OrgOptions struct {
	Config      aws.Config // the management account's (or IAM's delegated administrator's) credentials
	Endpoint    string     // one endpoint for every service (tests, emulators); "" for AWS's
	Now         time.Time  // zero for time.Now
	Concurrency int        // member accounts audited at once; 0 for 8
	Progress    io.Writer  // nil, or where "audited 12/40 accounts" lines go
	// MemberStackSet is the StackSet of rootwatch:memberAccountNotifications (stack output
	// memberStackSetName); "" to leave out the member-forwarding check.
	MemberStackSet string
	// MemberEventBusArn (stack output memberEventBusArn) is in the StackSet's region, where its
	// instances are listed; "" for the audit's region.
	MemberEventBusArn string
}

// RunOrganization audits the root user of every ACTIVE account of the caller's organization. The
// caller's own account is audited with the caller's credentials (the root checks, the credential
// report and centralized root access); the management account, when the caller is IAM's delegated
// administrator, is not audited (WARN: root sessions exist only for member accounts, see
// managementNotAudited); every other account through a root session opened with
// sts:AssumeRoot and AuditTaskPolicy (which needs centralized root access with root sessions, and
// the management account's or IAM's delegated administrator's credentials), running
// MemberRootChecks and MemberRootUse. An account whose session cannot be opened gets ERROR
// results naming sts:AssumeRoot; the others are still audited. Results carry their account and
// come in account id order. The error is for an organization that cannot be listed at all.
func RunOrganization(ctx context.Context, o OrgOptions) ([]Result, error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	workers := o.Concurrency
	if workers <= 0 {
		workers = 8
	}
	rg := NewRegions(o.Config, o.Endpoint)
	c := rg.In("")
	v, err := viewOrganization(ctx, c)
	if err != nil {
		return nil, err
	}
	self, partition, accounts, management := v.self, v.partition, v.accounts, v.management

	results := make([][]Result, len(accounts))
	var mu sync.Mutex
	done := 0
	progress := func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "audited %d/%d accounts\n", done, len(accounts))
		}
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, id := range accounts {
		if id == self {
			rs := RootChecks(ctx, c.IAM)
			rs = append(rs, CredentialReportChecks(ctx, c.IAM, now)...)
			rs = append(rs, CentralizedRootAccessCheck(ctx, c.Organizations, c.IAM))
			results[i] = withAccount(rs, id)
			progress()
			continue
		}
		if id == management {
			// From IAM's delegated administrator: AssumeRoot opens sessions in member accounts
			// only, so the management account's root user cannot be audited from here.
			results[i] = withAccount(managementNotAudited(id, self), id)
			progress()
			continue
		}
		wg.Add(1)
		go func(i int, id string) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = withAccount(assumeRootFailed(ctx.Err()), id)
				progress()
				return
			}
			defer func() { <-sem }()
			results[i] = withAccount(auditMember(ctx, o, c.STS, id, partition, now), id)
			progress()
		}(i, id)
	}
	wg.Wait()
	if o.MemberStackSet != "" {
		// The management account is never a service-managed StackSet's target, and the caller's
		// own account (the management account or the delegated administrator) is covered by the
		// stack's own notifications.
		var members []string
		var at []int
		for i, id := range accounts {
			if id != self && id != management {
				members = append(members, id)
				at = append(at, i)
			}
		}
		for k, r := range MemberForwardingChecks(
			ctx, rg.Of(o.MemberEventBusArn).CloudFormation, o.MemberStackSet, members, self != management,
		) {
			results[at[k]] = append(results[at[k]], r)
		}
	}
	var out []Result
	for _, rs := range results {
		out = append(out, rs...)
	}
	return out, nil
}

// orgView is what RunOrganization learns of the caller and its organization before auditing.
type orgView struct {
	self, partition string   // the caller's account and partition
	accounts        []string // the active accounts, sorted
	management      string   // the management account
}

// viewOrganization asks who the caller is, and its organization's management and active accounts.
func viewOrganization(ctx context.Context, c *Clients) (orgView, error) {
	who, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return orgView{}, fmt.Errorf("sts:GetCallerIdentity: %w", err)
	}
	v := orgView{self: aws.ToString(who.Account), partition: "aws"}
	if parts := strings.SplitN(aws.ToString(who.Arn), ":", 3); len(parts) == 3 {
		v.partition = parts[1]
	}
	org, err := c.Organizations.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		var notInOrg *orgtypes.AWSOrganizationsNotInUseException
		if errors.As(err, &notInOrg) {
			return orgView{}, fmt.Errorf("account %s is not in an organization: run rootwatch audit "+
				"without --organization", v.self)
		}
		return orgView{}, fmt.Errorf("organizations:DescribeOrganization: %w", err)
	}
	if v.accounts, err = activeAccounts(ctx, c.Organizations); err != nil {
		return orgView{}, fmt.Errorf("organizations:ListAccounts: %w", err)
	}
	if len(v.accounts) == 0 {
		return orgView{}, errors.New("organizations:ListAccounts listed no active account")
	}
	v.management = aws.ToString(org.Organization.MasterAccountId)
	return v, nil
}

// accountActive reads the account's State, or its Status where State is not set (Organizations
// retires Status in favour of State).
// activeAccounts lists the ids of the organization's active accounts (accountActive), sorted.
func activeAccounts(ctx context.Context, org organizations.ListAccountsAPIClient) ([]string, error) {
	var ids []string
	p := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Accounts {
			if accountActive(a) {
				ids = append(ids, aws.ToString(a.Id))
			}
		}
	}
	sort.Strings(ids)
	return ids, nil
}

func accountActive(a orgtypes.Account) bool {
	if a.State != "" {
		return a.State == orgtypes.AccountStateActive
	}
	return a.Status == orgtypes.AccountStatusActive
}

// auditMember opens a root session in the member account and runs MemberRootChecks and
// MemberRootUse with it.
// AssumeRoot must go to a regional STS endpoint (the global one refuses it); the SDK's STS client
// uses the configured region's endpoint.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html
func auditMember(ctx context.Context, o OrgOptions, c *sts.Client, id, partition string, now time.Time) []Result {
	out, err := c.AssumeRoot(ctx, &sts.AssumeRootInput{
		TargetPrincipal: aws.String(id),
		TaskPolicyArn: &ststypes.PolicyDescriptorType{
			Arn: aws.String(awsenv.ARN(partition, "iam", "", "aws", AuditTaskPolicy)),
		},
		DurationSeconds: aws.Int32(rootSessionSeconds),
	})
	if err != nil {
		return assumeRootFailed(err)
	}
	if out.Credentials == nil {
		return assumeRootFailed(errors.New("AssumeRoot returned no credentials"))
	}
	cfg := o.Config.Copy()
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
		aws.ToString(
			out.Credentials.AccessKeyId,
		),
		aws.ToString(out.Credentials.SecretAccessKey),
		aws.ToString(out.Credentials.SessionToken),
	))
	c2 := NewClients(cfg, o.Endpoint).IAM
	return append(MemberRootChecks(ctx, c2), MemberRootUse(ctx, c2, now))
}

// managementNotAudited are the member checks of the management account when the caller is IAM's
// delegated administrator (self): WARN, not ERROR. AssumeRoot returns credentials "to perform
// privileged tasks on a member account", its TargetPrincipal is "the member account principal ARN
// or account ID" (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html), and
// centralized root access manages the root credentials of member accounts only
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management):
// no root session into the management account exists, so asking for one would only fail, and
// exit 3 on every well-run organization audited from its delegated administrator.
func managementNotAudited(management, self string) []Result {
	rs := make([]Result, len(memberChecks))
	for i, base := range memberChecks {
		base.Status = Warn
		base.Detail = fmt.Sprintf("not checked: %s is the organization's management account, and root sessions "+
			"(sts:AssumeRoot) exist only for member accounts, so the delegated administrator (%s) cannot "+
			"audit its root user", management, self)
		base.Remediation = "audit the management account with its own credentials: rootwatch audit, run in account " +
			management
		rs[i] = base
	}
	return rs
}

func assumeRootFailed(err error) []Result {
	rs := make([]Result, len(memberChecks))
	for i, base := range memberChecks {
		r := Errored(base, "sts:AssumeRoot", err)
		r.Remediation += "; AssumeRoot also needs centralized root access with root sessions enabled (see " +
			"root-centralized-access) and must be called from the management account or IAM's delegated administrator"
		rs[i] = r
	}
	return rs
}

func withAccount(rs []Result, id string) []Result {
	for i := range rs {
		rs[i].Account = id
	}
	return rs
}
