package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import "go.opentelemetry.io/collector/pdata/plog"

// The severity rules, all in one place. Every record is INFO except:
//
//   - Sign-in attempts that did not succeed. Only "success" and
//     "firewall_reported_success" are successes (every connector counts them
//     so: Elastic's event.outcome, Matano, the Panther data model). A missing
//     category and categories added in future are failures too, so that a new
//     failure mode is never filed as routine.
//   - Audit events whose action weakens the account's protection: MFA, SSO or
//     Duo turned off for everyone, firewall rules changed, or a vault
//     exported. These are the events the Sentinel and Sigma rules alert on.
//   - Item usages that export an item: secrets leave 1Password.
//
// SeverityText stays empty: the semantic conventions leave it to the source.

// signinSucceeded reports whether a sign-in category counts as a success.
func signinSucceeded(category string) bool {
	return category == "success" || category == "firewall_reported_success"
}

// auditActionWeakens reports whether an audit action weakens security.
func auditActionWeakens(action string) bool {
	switch action {
	case "disblmfa", // MFA disabled (for a user or for everyone)
		"disblsso", // SSO disabled
		"disblduo", // Duo disabled
		"updatfw",  // firewall rules changed
		"export":   // vault exported
		return true
	}
	return false
}

// usageActionWeakens reports whether an item-usage action takes the secret
// out of 1Password.
func usageActionWeakens(action string) bool {
	return action == "export"
}

// severity decides the record's severity from the captured fields.
func (f *fields) severity(kind Kind) plog.SeverityNumber {
	switch kind {
	case SigninAttempt:
		if !f.has(fCategory) || !signinSucceeded(f.text[fCategory]) {
			return plog.SeverityNumberWarn
		}
	case AuditEvent:
		if f.has(fAction) && auditActionWeakens(f.text[fAction]) {
			return plog.SeverityNumberWarn
		}
	case ItemUsage:
		if f.has(fAction) && usageActionWeakens(f.text[fAction]) {
			return plog.SeverityNumberWarn
		}
	}
	return plog.SeverityNumberInfo
}
