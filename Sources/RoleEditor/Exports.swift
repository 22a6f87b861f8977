// The AtlasAPI model types the screen draws, re-exported so TerminalUI imports only RoleEditor.
@_exported import struct AtlasAPI.APICall
@_exported import struct AtlasAPI.APIErrorEnvelope
@_exported import struct AtlasAPI.APIVersion
@_exported import struct AtlasAPI.AtlasError
@_exported import protocol AtlasAPI.AtlasService
@_exported import struct AtlasAPI.BadRequestDetail
@_exported import enum AtlasAPI.JSONValue
@_exported import enum AtlasAPI.MembershipStatus
@_exported import struct AtlasAPI.OrgRole
@_exported import struct AtlasAPI.OrgUser
@_exported import struct AtlasAPI.Organization
@_exported import enum AtlasAPI.RoleWriteMethod
@_exported import struct AtlasAPI.RoleWriteResult
@_exported import enum AtlasAPI.SafeText
@_exported import enum AtlasAPI.ServiceEvent
@_exported import struct AtlasAPI.UserPage
