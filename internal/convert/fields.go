package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

// This file says which JSON paths of an item feed an attribute. The decoder
// tracks a context (which object it is in) and, for each key, looks up in
// tables built from capturePaths whether the value is captured, and which
// context a nested object opens. Everything deeper or unknown is ctxOther and
// is only copied into the body.

// ctx is the kind of object the decoder is in.
type ctx uint8

const (
	ctxOther    ctx = iota // unknown object, array element, or too deep: body only
	ctxSignin              // top level of a sign-in attempt
	ctxUsage               // top level of an item usage
	ctxAudit               // top level of an audit event
	ctxClient              // "client" (sign-ins, item usages)
	ctxLocation            // "location" (all streams)
	ctxUser                // "target_user" / "user" / "actor_details": the user the event is about
	ctxObjUser             // audit "object_details"
	ctxAuxUser             // audit "aux_details"
	ctxSession             // audit "session"
	ctxDetails             // sign-in "details"
	numCtx
)

// fieldID names one captured value. At most 64 so that a uint64 mask says
// which ones the current item has.
type fieldID uint8

const noField fieldID = 0xff

const (
	fUUID fieldID = iota
	fTimestamp
	// client (sign-ins, item usages) and audit session.ip
	fClientIP
	fAppName
	fAppVersion
	fOSName
	fOSVersion
	fPlatformName
	fPlatformVersion
	// location
	fCity
	fLat
	fLon
	fLocCountry
	fRegion
	// the user the event is about
	fUserID
	fUserEmail
	fUserName
	fUserType
	fUserTypeAlt // "type" inside a user object, as XSIAM documents it for v2
	fUserAccount
	fSessionID
	// sign-ins
	fCategory
	fSigninType
	fSigninCountry
	fDetailsValue
	fAccountID
	fAction
	// item usages
	fVaultID
	fItemID
	fUsedVersion
	// audit events
	fActorID
	fActorType
	fActorAccount
	fObjectType
	fObjectID
	fObjUserID
	fObjUserEmail
	fObjUserName
	fAuxID
	fAuxUUID
	fAuxUserID
	fAuxUserEmail
	fAuxUserName
	fAuxInfo
	fDeviceID
	fLoginTime
	numFields
)

// fieldType is the JSON type a captured value must have; any other type
// leaves the attribute out (the body still has the value as sent).
type fieldType uint8

const (
	ftString fieldType = iota // a non-empty string
	ftFloat                   // any number, as a double
	ftInt                     // an integer that fits int64
)

var fieldTypes = [numFields]fieldType{
	fLat:         ftFloat,
	fLon:         ftFloat,
	fUsedVersion: ftInt,
	fAuxID:       ftInt,
}

// capturePath: in context in, the key leads either to a captured value
// (field) or to a nested object decoded in context child.
type capturePath struct {
	in    ctx
	key   keyID
	field fieldID
	child ctx
}

func leaf(in ctx, key keyID, f fieldID) capturePath { return capturePath{in, key, f, ctxOther} }
func node(in ctx, key keyID, c ctx) capturePath     { return capturePath{in, key, noField, c} }

var capturePaths = []capturePath{
	// sign-in attempts
	leaf(ctxSignin, kUUID, fUUID),
	leaf(ctxSignin, kTimestamp, fTimestamp),
	leaf(ctxSignin, kSessionUUID, fSessionID),
	leaf(ctxSignin, kCategory, fCategory),
	leaf(ctxSignin, kType, fSigninType),
	leaf(ctxSignin, kCountry, fSigninCountry),
	leaf(ctxSignin, kAccountUUID, fAccountID),
	node(ctxSignin, kDetails, ctxDetails),
	node(ctxSignin, kTargetUser, ctxUser),
	node(ctxSignin, kClient, ctxClient),
	node(ctxSignin, kLocation, ctxLocation),
	leaf(ctxDetails, kValue, fDetailsValue),

	// item usages
	leaf(ctxUsage, kUUID, fUUID),
	leaf(ctxUsage, kTimestamp, fTimestamp),
	leaf(ctxUsage, kAction, fAction),
	leaf(ctxUsage, kVaultUUID, fVaultID),
	leaf(ctxUsage, kItemUUID, fItemID),
	leaf(ctxUsage, kUsedVersion, fUsedVersion),
	leaf(ctxUsage, kAccountUUID, fAccountID),
	node(ctxUsage, kUser, ctxUser),
	node(ctxUsage, kClient, ctxClient),
	node(ctxUsage, kLocation, ctxLocation),

	// audit events
	leaf(ctxAudit, kUUID, fUUID),
	leaf(ctxAudit, kTimestamp, fTimestamp),
	leaf(ctxAudit, kActorUUID, fActorID),
	leaf(ctxAudit, kActorType, fActorType),
	leaf(ctxAudit, kActorAccountUUID, fActorAccount),
	leaf(ctxAudit, kAccountUUID, fAccountID),
	leaf(ctxAudit, kAction, fAction),
	leaf(ctxAudit, kObjectType, fObjectType),
	leaf(ctxAudit, kObjectUUID, fObjectID),
	leaf(ctxAudit, kAuxID, fAuxID),
	leaf(ctxAudit, kAuxUUID, fAuxUUID),
	leaf(ctxAudit, kAuxInfo, fAuxInfo),
	node(ctxAudit, kActorDetails, ctxUser),
	node(ctxAudit, kObjectDetails, ctxObjUser),
	node(ctxAudit, kAuxDetails, ctxAuxUser),
	node(ctxAudit, kSession, ctxSession),
	node(ctxAudit, kLocation, ctxLocation),
	leaf(ctxObjUser, kUUID, fObjUserID),
	leaf(ctxObjUser, kEmail, fObjUserEmail),
	leaf(ctxObjUser, kName, fObjUserName),
	leaf(ctxAuxUser, kUUID, fAuxUserID),
	leaf(ctxAuxUser, kEmail, fAuxUserEmail),
	leaf(ctxAuxUser, kName, fAuxUserName),
	leaf(ctxSession, kUUID, fSessionID),
	leaf(ctxSession, kIP, fClientIP),
	leaf(ctxSession, kDeviceUUID, fDeviceID),
	leaf(ctxSession, kLoginTime, fLoginTime),

	// shared objects
	leaf(ctxUser, kUUID, fUserID),
	leaf(ctxUser, kEmail, fUserEmail),
	leaf(ctxUser, kName, fUserName),
	leaf(ctxUser, kUserType, fUserType),
	leaf(ctxUser, kType, fUserTypeAlt),
	leaf(ctxUser, kUserAccountUUID, fUserAccount),
	leaf(ctxClient, kIPAddress, fClientIP),
	leaf(ctxClient, kAppName, fAppName),
	leaf(ctxClient, kAppVersion, fAppVersion),
	leaf(ctxClient, kOSName, fOSName),
	leaf(ctxClient, kOSVersion, fOSVersion),
	leaf(ctxClient, kPlatformName, fPlatformName),
	leaf(ctxClient, kPlatformVersion, fPlatformVersion),
	leaf(ctxLocation, kCity, fCity),
	leaf(ctxLocation, kLatitude, fLat),
	leaf(ctxLocation, kLongitude, fLon),
	leaf(ctxLocation, kCountry, fLocCountry),
	leaf(ctxLocation, kRegion, fRegion),
}

// Lookup tables derived from capturePaths.
var (
	fieldOf [numCtx][numKeys]fieldID
	childOf [numCtx][numKeys]ctx
	// clearOf holds the captured fields a key's value replaces. JSON allows
	// duplicate keys and the last one wins, in the body and therefore in the
	// attributes: before a key's value is decoded, whatever an earlier
	// occurrence of that key captured (the leaf, or every field of the nested
	// object) is forgotten.
	clearOf [numCtx][numKeys]uint64
	// defaultHint is the capacity a map of the context gets until the page
	// has shown bigger ones (decoder.hint): the key counts of the smallest
	// complete v1 objects, so that v1 pages do not over-reserve.
	defaultHint = [numCtx]int32{
		ctxSignin: 10, ctxUsage: 9, ctxAudit: 10,
		ctxClient: 7, ctxLocation: 5, ctxUser: 3, ctxObjUser: 3, ctxAuxUser: 3,
		ctxSession: 4, ctxDetails: 1,
	}
)

func init() {
	for c := range fieldOf {
		for k := range fieldOf[c] {
			fieldOf[c][k] = noField
		}
	}
	var ctxFields [numCtx]uint64
	for _, p := range capturePaths {
		if p.field != noField {
			ctxFields[p.in] |= 1 << p.field
		}
	}
	for _, p := range capturePaths {
		fieldOf[p.in][p.key] = p.field
		childOf[p.in][p.key] = p.child
		if p.field != noField {
			clearOf[p.in][p.key] = 1 << p.field
		} else {
			clearOf[p.in][p.key] = ctxFields[p.child]
		}
	}
}

// fields holds what one item captured; mask says which entries are valid,
// so resetting for the next item is a single store.
type fields struct {
	mask    uint64
	text    [numFields]string
	float   [numFields]float64
	integer [numFields]int64
}

func (f *fields) has(id fieldID) bool { return f.mask&(1<<id) != 0 }

func (f *fields) setStr(id fieldID, v string) {
	f.text[id] = v
	f.mask |= 1 << id
}

// The mask is a uint64: fail to compile if the fields outgrow it.
var _ [64 - numFields]struct{}
