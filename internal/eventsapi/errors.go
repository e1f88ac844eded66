package eventsapi

// apiName names this API in errors (see apierror.Error).
const apiName = "events API"
