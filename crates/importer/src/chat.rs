//! A parsed export held compactly: all bodies in one text arena, 32 bytes per message.

use serde::Serialize;
use tourdesk_core::import::ImportNote;

use crate::calendar::Calendar;
use crate::date::{DateOrder, DateOrderBasis, DateOrderEvidence, LocalDateTime, RawStamp};
use crate::kind::MessageKind;

/// A file named by a message, and where it is inside a `.zip` export when it is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// The file name as the message names it.
    pub file_name: String,
    /// The entry name inside the `.zip` export, when the file was found there.
    pub zip_entry: Option<String>,
    /// Uncompressed size declared by the zip entry.
    pub size: Option<u64>,
}

/// Index meaning "no author" / "no attachment".
pub(crate) const NONE: u32 = u32::MAX;

/// One stored message (private layout; read through `MessageRef`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Message {
    pub(crate) start: usize,
    pub(crate) len: u32,
    pub(crate) author: u32,
    pub(crate) attachment: u32,
    pub(crate) stamp: RawStamp,
    pub(crate) kind: MessageKind,
}

/// A parsed chat export.
#[derive(Debug, Default)]
pub struct Chat {
    pub(crate) text: String,
    pub(crate) messages: Vec<Message>,
    pub(crate) authors: Vec<String>,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) order: Option<(DateOrder, DateOrderBasis)>,
    pub(crate) warnings: Vec<ImportNote>,
    pub(crate) lines: usize,
    pub(crate) evidence: DateOrderEvidence,
    pub(crate) years_inferred: usize,
    pub(crate) calendar: Calendar,
}

/// A read-only view of one message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MessageRef<'a> {
    /// Position in the export, from 0.
    pub index: usize,
    /// Local date-time as written (converted to the Gregorian calendar); `None` if the
    /// header's date is impossible under the order.
    pub at: Option<LocalDateTime>,
    /// The author as written (invisible marks removed); `None` for system events without one.
    pub author: Option<&'a str>,
    /// What the message is.
    pub kind: MessageKind,
    /// The body, lines joined with `\n`.
    pub text: &'a str,
    /// The file it names, for `MessageKind::Attachment`.
    pub attachment: Option<&'a Attachment>,
}

impl Chat {
    /// Number of messages (user messages and system events).
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// True when the export holds no message.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The message at `index`.
    pub fn message(&self, index: usize) -> Option<MessageRef<'_>> {
        let m = self.messages.get(index)?;
        Some(self.view(index, m, self.date_order()))
    }

    fn view(&self, index: usize, m: &Message, order: DateOrder) -> MessageRef<'_> {
        MessageRef {
            index,
            at: m.stamp.resolve(order),
            author: self.authors.get(m.author as usize).map(String::as_str),
            kind: m.kind,
            text: self
                .text
                .get(m.start..m.start + m.len as usize)
                .unwrap_or(""),
            attachment: self.attachments.get(m.attachment as usize),
        }
    }

    /// `(index, author id, kind, body)` of every message, without resolving dates.
    pub(crate) fn texts(
        &self,
    ) -> impl Iterator<Item = (usize, Option<u32>, MessageKind, &str)> + '_ {
        self.messages.iter().enumerate().map(|(i, m)| {
            let author = (m.author != NONE).then_some(m.author);
            let text = self
                .text
                .get(m.start..m.start + m.len as usize)
                .unwrap_or("");
            (i, author, m.kind, text)
        })
    }

    /// The id of the author written `name`, if anyone is.
    pub(crate) fn author_id(&self, name: &str) -> Option<u32> {
        self.authors
            .iter()
            .position(|a| a == name)
            .map(|i| i as u32)
    }

    /// All messages in export order.
    pub fn messages(&self) -> impl ExactSizeIterator<Item = MessageRef<'_>> + '_ {
        let order = self.date_order();
        self.messages
            .iter()
            .enumerate()
            .map(move |(i, m)| self.view(i, m, order))
    }

    /// Messages written by participants (every kind but `System`).
    pub fn user_message_count(&self) -> usize {
        self.messages.iter().filter(|m| m.kind.is_user()).count()
    }

    /// Events written by WhatsApp itself.
    pub fn system_message_count(&self) -> usize {
        self.messages.len() - self.user_message_count()
    }

    /// Authors of user messages, in order of first appearance.
    pub fn participants(&self) -> Vec<&str> {
        let mut seen = vec![false; self.authors.len()];
        let mut out = Vec::new();
        for m in &self.messages {
            if m.kind.is_user() {
                if let Some(flag) = seen.get_mut(m.author as usize) {
                    if !*flag {
                        *flag = true;
                        out.push(self.authors[m.author as usize].as_str());
                    }
                }
            }
        }
        out
    }

    /// True for a group chat: more than two participants wrote messages.
    pub fn is_group(&self) -> bool {
        self.participants().len() > 2
    }

    /// The day/month order used for this file.
    pub fn date_order(&self) -> DateOrder {
        self.order.map_or(DateOrder::DayFirst, |o| o.0)
    }

    /// Why that order was chosen.
    pub fn date_order_basis(&self) -> DateOrderBasis {
        self.order.map_or(DateOrderBasis::Default, |o| o.1)
    }

    /// What the headers say about the day/month order (for the review to show and ask).
    pub fn date_order_evidence(&self) -> DateOrderEvidence {
        self.evidence
    }

    /// Reads the dates under `order` from now on (the review's choice; no re-parse needed).
    pub fn set_date_order(&mut self, order: DateOrder) {
        self.order = Some((order, DateOrderBasis::Caller));
    }

    /// Messages whose header had no year (it was inferred from the message order and the
    /// file's date, and should be confirmed).
    pub fn years_inferred(&self) -> usize {
        self.years_inferred
    }

    /// The calendar the export's dates were written in (dates are given in Gregorian).
    pub fn calendar(&self) -> Calendar {
        self.calendar
    }

    /// Earliest and latest message date-times.
    pub fn span(&self) -> Option<(LocalDateTime, LocalDateTime)> {
        let order = self.date_order();
        let mut it = self.messages.iter().filter_map(|m| m.stamp.resolve(order));
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t))))
    }

    /// Attachments named by messages.
    pub fn attachments(&self) -> &[Attachment] {
        &self.attachments
    }

    /// Problems that did not stop parsing (invalid UTF-8, stray lines, impossible dates).
    pub fn warnings(&self) -> &[ImportNote] {
        &self.warnings
    }

    /// Lines read from the export.
    pub fn line_count(&self) -> usize {
        self.lines
    }
}
