package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import "go.opentelemetry.io/collector/pdata/pcommon"

// Attribute names. The unprefixed ones are semantic conventions v1.43.0
// (see SchemaURL; semconv_test.go checks them against the Go constants);
// the onepassword.* ones carry the API's discriminators and identifiers that
// have no convention. The README's mapping table lists every one and is
// tested against what the converter produces.
// AttrRecordUID is the record's unique id (semconv log.record.uid): the
// event's uuid, the key for de-duplication downstream. It is the one name
// the receiver, its sources and its tests share.
const AttrRecordUID = "log.record.uid"

const (
	attrErrorType = "error.type"

	attrUserID       = "user.id"
	attrUserEmail    = "user.email"
	attrUserFullName = "user.full_name"
	attrSessionID    = "session.id"

	attrClientAddress  = "client.address"
	attrUAName         = "user_agent.name"
	attrUAVersion      = "user_agent.version"
	attrUAOSName       = "user_agent.os.name"
	attrUAOSVersion    = "user_agent.os.version"
	attrPlatformName   = "onepassword.client.platform.name"
	attrPlatformVer    = "onepassword.client.platform.version"
	attrGeoLocality    = "geo.locality.name"
	attrGeoLat         = "geo.location.lat"
	attrGeoLon         = "geo.location.lon"
	attrGeoCountryISO  = "geo.country.iso_code"
	attrLocCountry     = "onepassword.location.country"
	attrLocRegion      = "onepassword.location.region"
	attrUserType       = "onepassword.user.type"
	attrUserAccountID  = "onepassword.user.account.id"
	attrAccountID      = "onepassword.account.id"
	attrSigninCategory = "onepassword.signin.category"
	attrSigninType     = "onepassword.signin.type"
	attrSigninCountry  = "onepassword.signin.country"
	attrSigninDetails  = "onepassword.signin.details.value"

	attrUsageAction = "onepassword.item_usage.action"
	attrVaultID     = "onepassword.vault.id"
	attrItemID      = "onepassword.item.id"
	attrUsedVersion = "onepassword.item.used_version"

	attrActorID        = "onepassword.actor.id"
	attrActorType      = "onepassword.actor.type"
	attrActorAccountID = "onepassword.actor.account.id"
	attrAuditAction    = "onepassword.audit.action"
	attrObjectType     = "onepassword.audit.object.type"
	attrObjectID       = "onepassword.audit.object.id"
	attrObjUserID      = "onepassword.audit.object.user.id"
	attrObjUserEmail   = "onepassword.audit.object.user.email"
	attrObjUserName    = "onepassword.audit.object.user.full_name"
	attrAuxID          = "onepassword.audit.aux.id"
	attrAuxUUID        = "onepassword.audit.aux.uuid"
	attrAuxUserID      = "onepassword.audit.aux.user.id"
	attrAuxUserEmail   = "onepassword.audit.aux.user.email"
	attrAuxUserName    = "onepassword.audit.aux.user.full_name"
	attrAuxInfo        = "onepassword.audit.aux.info"
	attrDeviceID       = "onepassword.session.device.id"
	attrLoginTime      = "onepassword.session.login_time"
)

// putAttributes writes the attributes of one item from its captured fields.
// Every value is the very string the body holds; an attribute whose source
// was missing, null, of another type or empty is left out. It runs the
// mapping twice, first only counting, so that the map is allocated once at
// its exact size: cheaper than a guess, which is either too small (the map
// grows, copying itself) or too big (bytes the collector keeps per record).
func (f *fields) putAttributes(kind Kind, m pcommon.Map) {
	count := attrSink{}
	f.attributes(kind, &count)
	m.EnsureCapacity(count.n)
	f.attributes(kind, &attrSink{m: m, put: true})
}

// attrSink receives the attributes: it counts them, or puts them into m.
type attrSink struct {
	m   pcommon.Map
	n   int
	put bool
}

func (a *attrSink) PutStr(name, v string) {
	if a.put {
		a.m.PutStr(name, v)
	}
	a.n++
}

func (a *attrSink) PutInt(name string, v int64) {
	if a.put {
		a.m.PutInt(name, v)
	}
	a.n++
}

func (a *attrSink) PutDouble(name string, v float64) {
	if a.put {
		a.m.PutDouble(name, v)
	}
	a.n++
}

func (f *fields) attributes(kind Kind, attrs *attrSink) {
	f.putStr(attrs, AttrRecordUID, fUUID)
	switch kind {
	case SigninAttempt:
		f.putUser(attrs, fUserID)
		f.putStr(attrs, attrSessionID, fSessionID)
		f.putClient(attrs)
		f.putStr(attrs, attrSigninCategory, fCategory)
		f.putStr(attrs, attrSigninType, fSigninType)
		f.putStr(attrs, attrSigninCountry, fSigninCountry)
		f.putStr(attrs, attrSigninDetails, fDetailsValue)
		if f.has(fCategory) && !signinSucceeded(f.text[fCategory]) {
			attrs.PutStr(attrErrorType, f.text[fCategory])
		}
		f.putStr(attrs, attrAccountID, fAccountID)
		f.putGeo(attrs, fSigninCountry)

	case ItemUsage:
		f.putUser(attrs, fUserID)
		f.putClient(attrs)
		f.putStr(attrs, attrUsageAction, fAction)
		f.putStr(attrs, attrVaultID, fVaultID)
		f.putStr(attrs, attrItemID, fItemID)
		if f.has(fUsedVersion) {
			attrs.PutInt(attrUsedVersion, f.integer[fUsedVersion])
		}
		f.putStr(attrs, attrAccountID, fAccountID)
		f.putGeo(attrs, noField)

	case AuditEvent:
		// The actor is the user; without actor_details its uuid is actor_uuid.
		userID := fUserID
		if !f.has(fUserID) {
			userID = fActorID
		}
		f.putUser(attrs, userID)
		f.putStr(attrs, attrActorID, fActorID)
		f.putStr(attrs, attrActorType, fActorType)
		f.putStr(attrs, attrActorAccountID, fActorAccount)
		f.putStr(attrs, attrAccountID, fAccountID)
		f.putStr(attrs, attrAuditAction, fAction)
		f.putStr(attrs, attrObjectType, fObjectType)
		f.putStr(attrs, attrObjectID, fObjectID)
		f.putStr(attrs, attrObjUserID, fObjUserID)
		f.putStr(attrs, attrObjUserEmail, fObjUserEmail)
		f.putStr(attrs, attrObjUserName, fObjUserName)
		if f.has(fAuxID) {
			attrs.PutInt(attrAuxID, f.integer[fAuxID])
		}
		f.putStr(attrs, attrAuxUUID, fAuxUUID)
		f.putStr(attrs, attrAuxUserID, fAuxUserID)
		f.putStr(attrs, attrAuxUserEmail, fAuxUserEmail)
		f.putStr(attrs, attrAuxUserName, fAuxUserName)
		f.putStr(attrs, attrAuxInfo, fAuxInfo)
		f.putStr(attrs, attrClientAddress, fClientIP) // session.ip
		f.putStr(attrs, attrSessionID, fSessionID)    // session.uuid
		f.putStr(attrs, attrDeviceID, fDeviceID)
		f.putStr(attrs, attrLoginTime, fLoginTime)
		f.putGeo(attrs, noField)
	}
}

func (f *fields) putStr(attrs *attrSink, name string, id fieldID) {
	if f.has(id) {
		attrs.PutStr(name, f.text[id])
	}
}

// putUser writes the user the event is about (target_user, user or
// actor_details, a UserV2 in v2).
func (f *fields) putUser(attrs *attrSink, idField fieldID) {
	f.putStr(attrs, attrUserID, idField)
	f.putStr(attrs, attrUserEmail, fUserEmail)
	f.putStr(attrs, attrUserFullName, fUserName)
	if f.has(fUserType) {
		attrs.PutStr(attrUserType, f.text[fUserType])
	} else {
		f.putStr(attrs, attrUserType, fUserTypeAlt)
	}
	f.putStr(attrs, attrUserAccountID, fUserAccount)
}

// putClient writes the "client" object of sign-ins and item usages.
func (f *fields) putClient(attrs *attrSink) {
	f.putStr(attrs, attrClientAddress, fClientIP)
	f.putStr(attrs, attrUAName, fAppName)
	f.putStr(attrs, attrUAVersion, fAppVersion)
	f.putStr(attrs, attrUAOSName, fOSName)
	f.putStr(attrs, attrUAOSVersion, fOSVersion)
	f.putStr(attrs, attrPlatformName, fPlatformName)
	f.putStr(attrs, attrPlatformVer, fPlatformVersion)
}

// putGeo writes the "location" object: the client's location when the event
// happened, derived by 1Password from its IP address. The semantic
// conventions have no client.geo.*, so it goes under root geo.* (see README).
// countryFallback is a field to take the ISO code from when
// location.country is not one (the sign-in's top-level country), or noField.
func (f *fields) putGeo(attrs *attrSink, countryFallback fieldID) {
	f.putStr(attrs, attrGeoLocality, fCity)
	if f.has(fLat) {
		attrs.PutDouble(attrGeoLat, f.float[fLat])
	}
	if f.has(fLon) {
		attrs.PutDouble(attrGeoLon, f.float[fLon])
	}
	f.putStr(attrs, attrLocCountry, fLocCountry)
	f.putStr(attrs, attrLocRegion, fRegion)
	// location.country is an ISO code in the API reference ("CA") but a full
	// name in real payloads ("Canada"); only a code is a geo.country.iso_code.
	if iso, ok := f.isoCountry(fLocCountry); ok {
		attrs.PutStr(attrGeoCountryISO, iso)
	} else if iso, ok := f.isoCountry(countryFallback); ok {
		attrs.PutStr(attrGeoCountryISO, iso)
	}
}

func (f *fields) isoCountry(id fieldID) (string, bool) {
	if id == noField || !f.has(id) {
		return "", false
	}
	return isoAlpha2(f.text[id])
}

// isoAlpha2 returns s in upper case when it is exactly two ASCII letters
// (the shape of an ISO 3166-1 alpha-2 code; it is not checked against the
// list of assigned codes, which changes).
func isoAlpha2(s string) (string, bool) {
	if len(s) != 2 {
		return "", false
	}
	a, b := upperLetter(s[0]), upperLetter(s[1])
	if a == 0 || b == 0 {
		return "", false
	}
	if a == s[0] && b == s[1] {
		return s, true
	}
	i := (int(a-'A')*26 + int(b-'A')) * 2
	return isoCodes[i : i+2], true
}

func upperLetter(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return c
	case c >= 'a' && c <= 'z':
		return c - ('a' - 'A')
	}
	return 0
}

// isoCodes holds every pair of upper-case letters, "AAAB…ZZ", so that upper-
// casing a lower-case code is a substring instead of an allocation.
var isoCodes = func() string {
	b := make([]byte, 0, 26*26*2)
	for a := byte('A'); a <= 'Z'; a++ {
		for c := byte('A'); c <= 'Z'; c++ {
			b = append(b, a, c)
		}
	}
	return string(b)
}()
