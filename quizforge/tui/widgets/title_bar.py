"""The screens' top line: ⭘ (a click opens the command palette), then the screen's title, centred.

It looks like Textual's ``Header`` without its clock, drawn by one widget instead of four, whose styles
and layout the first frame would otherwise wait for (docs/architecture.md §8: the start-up budget).
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Header's icon box
RIGHT_WIDTH = 10  # Header's clock space: the title is centred between the two, as there


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar { dock: top; width: 100%; height: 1; background: $panel; color: $foreground; }
    """

    def _on_mount(self, event: events.Mount) -> None:
        for obj in (self.app, self.screen):
            self.watch(obj, "title", self._changed, init=False)
            self.watch(obj, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def title_content(self) -> Content:
        """The app's format of the screen's title and sub-title (the app's when the screen has none)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        middle = max(0, self.size.width - ICON_WIDTH - RIGHT_WIDTH)
        icon = Content(f" {ICON}").pad_right(ICON_WIDTH - 2)
        return Content.assemble(icon, self.title_content().center(middle, ellipsis=True))

    async def _on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
