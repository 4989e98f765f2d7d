//! Public vocabulary of the simulator: routes, faults, task scripts and the request log.

/// A family of endpoints; faults are queued per route and requests are counted per route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /v1/generate/vol/seedance-pro-1.5`
    Create,
    /// `GET /v1/tasks/{id}`
    GetTask,
    /// `POST /api/upload/file`
    UploadFile,
    /// `POST /api/upload/base64`
    UploadBase64,
    /// `POST /api/upload/url`
    UploadUrl,
    /// Anything served from `result_base`: result videos and uploaded files.
    Result,
}

/// A misbehaviour applied to exactly one request of a route.
#[derive(Clone, Debug)]
pub enum Fault {
    /// HTTP 500 with a JSON error body.
    ServerError,
    /// 429 with a `Retry-After` header.
    RateLimited { retry_after_secs: u32 },
    /// 401 even with the right token.
    Unauthorized,
    /// 402, the body says the balance is insufficient.
    PaymentRequired,
    /// Read the request, wait `SimConfig::hang_for`, then answer normally.
    Hang,
    /// Read the whole request (body included), count it, then close the connection without a response.
    DropAfterRead,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// A proxy-style `text/html` error page with this status.
    HtmlError { status: u16 },
    /// The normal answer, its headers promising the whole body, but the connection breaks after this many
    /// body bytes (a download cut short). A body no longer than that is sent whole.
    CutBody { after_bytes: usize },
}

/// How the next created task behaves.
#[derive(Clone, Debug, Default)]
pub struct TaskScript {
    pub result_shape: ResultShape,
    pub vocabulary: Vocabulary,
    /// Reported instead of the running word, to exercise clients' handling of unknown statuses.
    pub unknown_status_while_running: Option<String>,
    /// The task ends failed with these.
    pub fail: Option<TaskFailure>,
    /// The result link is already expired when issued.
    pub expired_link: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskFailure {
    pub error_code: String,
    pub error_msg: String,
}

/// The two documented shapes of a finished task's `result`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResultShape {
    /// `["https://…mp4"]` (English docs).
    #[default]
    Strings,
    /// `[{"type": "video", "url": "https://…mp4"}]` (Chinese docs).
    Objects,
}

/// The two status vocabularies seen in the wild.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Vocabulary {
    /// pending / processing / completed / failed
    #[default]
    Sinan,
    /// queued / running / succeeded / failed
    Upstream,
}

impl Vocabulary {
    pub(crate) fn queued(self) -> &'static str {
        match self {
            Vocabulary::Sinan => "pending",
            Vocabulary::Upstream => "queued",
        }
    }
    pub(crate) fn running(self) -> &'static str {
        match self {
            Vocabulary::Sinan => "processing",
            Vocabulary::Upstream => "running",
        }
    }
    pub(crate) fn done(self) -> &'static str {
        match self {
            Vocabulary::Sinan => "completed",
            Vocabulary::Upstream => "succeeded",
        }
    }
}

/// Requests seen per route. Faulted requests count too; `create_accepted` counts tasks actually created.
/// `upload` sums the three upload routes; `result` counts every request to the result host;
/// `unauthorized` counts every 401 answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub create: u32,
    pub create_accepted: u32,
    pub get_task: u32,
    pub upload: u32,
    pub result: u32,
    pub unauthorized: u32,
}

/// One request as the simulator saw it. `status` is 0 while unanswered or when the connection was dropped.
#[derive(Clone, Debug)]
pub struct RequestRecord {
    pub route: Route,
    pub method: String,
    pub path: String,
    pub had_authorization: bool,
    pub status: u16,
}
