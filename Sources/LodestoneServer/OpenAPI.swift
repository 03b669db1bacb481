// The OpenAPI 3.1 description of the server, written by hand; ServerTests check that it
// documents every route of `routeTable` (and nothing else) and that its examples validate.

/// `GET /openapi.json`.
public let openAPIDocument = #"""
{
 "components": {
  "requestBodies": {
   "Form": {
    "content": {
     "application/x-www-form-urlencoded": {
      "schema": {
       "additionalProperties": {
        "type": "string"
       },
       "type": "object"
      }
     },
     "multipart/form-data": {
      "schema": {
       "additionalProperties": {
        "type": "string"
       },
       "type": "object"
      }
     }
    },
    "required": true
   }
  },
  "responses": {
   "Error": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "error"
   },
   "HTML": {
    "content": {
     "text/html": {}
    },
    "description": "HTML page"
   }
  },
  "schemas": {
   "ChemConvert": {
    "additionalProperties": false,
    "properties": {
     "amount": {
      "type": "string"
     },
     "basis": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "unit": {
      "type": "string"
     }
    },
    "required": [
     "amount",
     "to"
    ],
    "type": "object"
   },
   "ChemMass": {
    "additionalProperties": false,
    "properties": {
     "formula": {
      "type": "string"
     }
    },
    "required": [
     "formula"
    ],
    "type": "object"
   },
   "Error": {
    "additionalProperties": false,
    "properties": {
     "error": {
      "type": "string"
     },
     "location": {
      "properties": {
       "column": {
        "type": "integer"
       },
       "file": {
        "type": "string"
       },
       "line": {
        "type": "integer"
       }
      },
      "type": "object"
     },
     "message": {
      "type": "string"
     }
    },
    "required": [
     "error",
     "message"
    ],
    "type": "object"
   },
   "JobRequest": {
    "additionalProperties": false,
    "properties": {
     "cut": {
      "type": "string"
     },
     "feed": {
      "type": "string"
     },
     "horizon": {
      "pattern": "^[0-9]{4}-[0-9]{2}$",
      "type": "string"
     },
     "kind": {
      "enum": [
       "simulation",
       "montecarlo",
       "reserve",
       "plan",
       "cascade"
      ],
      "type": "string"
     },
     "material": {
      "type": "string"
     },
     "objective": {
      "type": "string"
     },
     "purity": {
      "type": "string"
     },
     "runs": {
      "maximum": 100000,
      "minimum": 1,
      "type": "integer"
     },
     "scenario": {
      "type": "string"
     },
     "seed": {
      "minimum": 0,
      "type": "integer"
     },
     "service": {
      "exclusiveMinimum": 0,
      "maximum": 1,
      "type": "number"
     },
     "system": {
      "type": "string"
     },
     "uncertainty": {
      "type": "string"
     },
     "variant": {
      "type": "string"
     }
    },
    "required": [
     "kind"
    ],
    "type": "object"
   },
   "LedgerEvents": {
    "description": "An EPCIS 2.0 JSON document (type EPCISDocument, events in epcisBody.eventList) or one ObjectEvent/TransformationEvent with Lodestone's lodestone: members; see docs/ledger.md",
    "properties": {
     "eventID": {
      "type": "string"
     },
     "eventTime": {
      "type": "string"
     },
     "type": {
      "enum": [
       "EPCISDocument",
       "ObjectEvent",
       "TransformationEvent"
      ],
      "type": "string"
     }
    },
    "required": [
     "type"
    ],
    "type": "object"
   },
   "MagnetCheck": {
    "additionalProperties": false,
    "properties": {
     "grade": {
      "type": "string"
     },
     "min_b": {
      "type": "string"
     },
     "opposing_field": {
      "type": "string"
     },
     "pc": {
      "type": "number"
     },
     "temperature": {
      "type": "string"
     }
    },
    "required": [
     "temperature",
     "pc"
    ],
    "type": "object"
   },
   "QCChart": {
    "additionalProperties": false,
    "properties": {
     "chart": {
      "enum": [
       "xbar-r",
       "xbar-s",
       "i-mr"
      ],
      "type": "string"
     },
     "csv": {
      "type": "string"
     },
     "property": {
      "type": "string"
     }
    },
    "required": [
     "csv",
     "property"
    ],
    "type": "object"
   },
   "SaveScenario": {
    "additionalProperties": false,
    "properties": {
     "name": {
      "pattern": "^[a-z0-9][a-z0-9-]{0,63}$",
      "type": "string"
     },
     "yaml": {
      "type": "string"
     }
    },
    "required": [
     "name",
     "yaml"
    ],
    "type": "object"
   },
   "ValidateScenario": {
    "additionalProperties": false,
    "properties": {
     "file": {
      "type": [
       "string",
       "null"
      ]
     },
     "variant": {
      "type": [
       "string",
       "null"
      ]
     },
     "yaml": {
      "type": "string"
     }
    },
    "required": [
     "yaml"
    ],
    "type": "object"
   }
  },
  "securitySchemes": {
   "bearer": {
    "scheme": "bearer",
    "type": "http"
   },
   "cookie": {
    "in": "cookie",
    "name": "lodestone_token",
    "type": "apiKey"
   }
  }
 },
 "info": {
  "description": "HTTP API and dashboard of Lodestone (rare-earth magnet supply-chain planning). Errors are JSON {error, message, location?}. x-roles lists the roles that may call a route (empty: public); roles are viewer, operator, auditor (reads and verifies, changes nothing) and admin.",
  "title": "Lodestone server",
  "version": "1.0.0"
 },
 "openapi": "3.1.0",
 "paths": {
  "/": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Dashboard home",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/chem/convert": {
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "amount": "450 t Nd2O3",
        "to": "Nd"
       },
       "schema": {
        "$ref": "#/components/schemas/ChemConvert"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Convert a mass between compounds on an element basis",
    "tags": [
     "calculations"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/chem/mass": {
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "formula": "Nd2Fe14B"
       },
       "schema": {
        "$ref": "#/components/schemas/ChemMass"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Molar mass (g/mol) and element mass fractions",
    "tags": [
     "calculations"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/compare": {
   "get": {
    "parameters": [
     {
      "in": "query",
      "name": "a",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "in": "query",
      "name": "b",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Compare two succeeded simulation jobs",
    "tags": [
     "jobs"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/jobs": {
   "get": {
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     }
    },
    "summary": "List jobs, newest first",
    "tags": [
     "jobs"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   },
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "kind": "simulation",
        "scenario": "india-2026",
        "variant": "long-ban"
       },
       "schema": {
        "$ref": "#/components/schemas/JobRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "202": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Start a background job; 202 with its id",
    "tags": [
     "jobs"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/api/jobs/{id}": {
   "delete": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Cancel a job",
    "tags": [
     "jobs"
    ],
    "x-roles": ["operator", "admin"]
   },
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "A job's status and progress fraction",
    "tags": [
     "jobs"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/jobs/{id}/charts/{chart}": {
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "in": "path",
      "name": "chart",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "image/svg+xml": {}
      },
      "description": "SVG"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "One chart of a succeeded job",
    "tags": [
     "jobs"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/jobs/{id}/result": {
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "A succeeded job's result",
    "tags": [
     "jobs"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/ledger/events": {
   "post": {
    "parameters": [
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "action": "ADD",
        "bizLocation": {
         "id": "irel-aluva"
        },
        "bizStep": "commissioning",
        "disposition": "active",
        "epcList": [
         "urn:lodestone:lot:example-ox-01"
        ],
        "eventID": "example-commission-01",
        "eventTime": "2027-01-02T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "lodestone:lots": [
         {
          "assay": {
           "Nd": 0.681,
           "Pr": 0.1703
          },
          "id": "urn:lodestone:lot:example-ox-01",
          "material": "ndpr-oxide",
          "origin": "IN",
          "quantity": 1000.0,
          "uom": "KGM"
         }
        ],
        "readPoint": {
         "id": "irel-aluva"
        },
        "type": "ObjectEvent"
       },
       "schema": {
        "$ref": "#/components/schemas/LedgerEvents"
       }
      }
     },
     "required": true
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "413": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Import an EPCIS 2.0 document or one event in one transaction; events of another organisation need admin",
    "tags": [
     "ledger"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/api/ledger/lots": {
   "get": {
    "parameters": [
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Lots the caller's organisation owns, holds or was consigned (masses in kg)",
    "tags": [
     "ledger"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/ledger/lots/{id}/trace": {
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "A lot's sources and uses (depth-first, kg) and each element's share by country of origin (0–1); a lot the caller may not see is 404 like a missing one",
    "tags": [
     "ledger"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/ledger/reconcile": {
   "get": {
    "parameters": [
     {
      "description": "YYYY, YYYY-Qn or YYYY-MM",
      "in": "query",
      "name": "period",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "scenario name (default india-2026)",
      "in": "query",
      "name": "scenario",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "relative tolerance before a row is flagged, 0..<1 (default 0.02)",
      "in": "query",
      "name": "tolerance",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Reconcile a scenario's tolling agreements over a period: shipped, made, returned, retained, shortfall (kg)",
    "tags": [
     "ledger"
    ],
    "x-roles": ["operator", "auditor", "admin"]
   }
  },
  "/api/ledger/verify": {
   "get": {
    "parameters": [
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Recompute every hash chain and replay the history; names altered, removed, reordered or inserted records (ledger roles auditor, admin)",
    "tags": [
     "ledger"
    ],
    "x-roles": ["auditor", "admin"]
   }
  },
  "/api/magnets/check": {
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "grade": "N42SH",
        "opposing_field": "300 kA/m",
        "pc": 2,
        "temperature": "150"
       },
       "schema": {
        "$ref": "#/components/schemas/MagnetCheck"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Knee check of grades under a duty",
    "tags": [
     "calculations"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/qc/chart": {
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "chart": "xbar-r",
        "csv": "lot,Br [T]\nL1,1.30\nL1,1.31\nL2,1.29\nL2,1.30\nL3,1.31\nL3,1.32\n",
        "property": "Br"
       },
       "schema": {
        "$ref": "#/components/schemas/QCChart"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Control chart of one column of a specimen CSV",
    "tags": [
     "calculations"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/scenarios": {
   "get": {
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     }
    },
    "summary": "List scenarios: built-in and stored",
    "tags": [
     "scenarios"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   },
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "name": "india-long-ban-2",
        "yaml": "schema-version: 1\n..."
       },
       "schema": {
        "$ref": "#/components/schemas/SaveScenario"
       }
      }
     },
     "required": true
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Store a scenario or variant (refused with diagnostics if invalid)",
    "tags": [
     "scenarios"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/api/scenarios/validate": {
   "post": {
    "requestBody": {
     "content": {
      "application/json": {
       "example": {
        "variant": null,
        "yaml": "schema-version: 1\nname: x\n"
       },
       "schema": {
        "$ref": "#/components/schemas/ValidateScenario"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Validate scenario YAML: diagnostics with line and column",
    "tags": [
     "scenarios"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/api/scenarios/{name}": {
   "delete": {
    "parameters": [
     {
      "in": "path",
      "name": "name",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "deleted"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Delete a stored scenario",
    "tags": [
     "scenarios"
    ],
    "x-roles": ["admin"]
   },
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "name",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "in": "query",
      "name": "format",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "One scenario (JSON, or YAML with ?format=yaml)",
    "tags": [
     "scenarios"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/health": {
   "get": {
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     }
    },
    "security": [],
    "summary": "Liveness: status and running jobs",
    "tags": [
     "operations"
    ],
    "x-roles": []
   }
  },
  "/metrics": {
   "get": {
    "responses": {
     "200": {
      "content": {
       "text/plain": {}
      },
      "description": "metrics"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Prometheus metrics, text exposition format 0.0.4",
    "tags": [
     "operations"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/openapi.json": {
   "get": {
    "responses": {
     "200": {
      "content": {
       "application/json": {}
      },
      "description": "JSON"
     }
    },
    "summary": "This document",
    "tags": [
     "operations"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/cascade": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Cascade design form",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/compare": {
   "get": {
    "parameters": [
     {
      "in": "query",
      "name": "a",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "in": "query",
      "name": "b",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Two runs side by side",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/ledger": {
   "get": {
    "parameters": [
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Ledger page: lots, verify status, EPCIS import form",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/ledger/import": {
   "post": {
    "parameters": [
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Import an EPCIS document from the ledger page's form (fields file or document)",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/ui/ledger/lots/{id}": {
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "ORGANISATION:ROLE to act as (viewer, operator, auditor, admin); honoured only on a loopback server without tokens, refused (400) with a token",
      "in": "query",
      "name": "as",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Lot page: genealogy (ancestors, descendants) and origin shares by element",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/login": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "security": [],
    "summary": "Sign-in form",
    "tags": [
     "dashboard"
    ],
    "x-roles": []
   },
   "post": {
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "303": {
      "description": "redirect (303 See Other)"
     }
    },
    "security": [],
    "summary": "Sign in with a token (sets an HttpOnly cookie)",
    "tags": [
     "dashboard"
    ],
    "x-roles": []
   }
  },
  "/ui/magnets": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Magnet checker",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   },
   "post": {
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Magnet checker result",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/qc": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "QC chart upload form",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   },
   "post": {
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "422": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "QC chart result",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/reserve": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Reserve sizing form",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/runs": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Runs and the start form",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   },
   "post": {
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "303": {
      "description": "redirect (303 See Other)"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Start a run (any job kind)",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/ui/runs/{id}": {
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Run page: status, charts, tables",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/runs/{id}/cancel": {
   "post": {
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "303": {
      "description": "redirect (303 See Other)"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Cancel a run",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/ui/scenarios": {
   "get": {
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Scenario list",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/scenarios/save": {
   "post": {
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "303": {
      "description": "redirect (303 See Other)"
     }
    },
    "summary": "Save from the editor",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["operator", "admin"]
   }
  },
  "/ui/scenarios/validate": {
   "post": {
    "requestBody": {
     "$ref": "#/components/requestBodies/Form"
    },
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     }
    },
    "summary": "Validate in the editor",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  },
  "/ui/scenarios/{name}": {
   "get": {
    "parameters": [
     {
      "in": "path",
      "name": "name",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "$ref": "#/components/responses/HTML"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    },
    "summary": "Scenario editor",
    "tags": [
     "dashboard"
    ],
    "x-roles": ["viewer", "operator", "auditor", "admin"]
   }
  }
 },
 "security": [
  {
   "bearer": []
  },
  {
   "cookie": []
  }
 ]
}
"""#
