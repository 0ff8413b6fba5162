"""Learning themes: one piece of learning to embed (why it matters, what good looks like, where
it came from, the handover prompts), moved through its lifecycle with a reason. Quality leads and
admins define and move themes; everyone sees the themes that apply to their sites."""
