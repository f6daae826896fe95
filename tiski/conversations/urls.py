from django.urls import include, path

from tiski.conversations.views import commands, files, live, orders, pages

conversation_commands = [
    path("reply/", commands.reply, name="conversation-reply"),
    path("assign/", commands.assign, name="conversation-assign"),
    path("status/", commands.status, name="conversation-status"),
    path("priority/", commands.priority, name="conversation-priority"),
    path("labels/", commands.labels, name="conversation-labels"),
    path("cc/", commands.cc, name="conversation-cc"),
    path("merge/", commands.merge, name="conversation-merge"),
    path("contact/notes/", commands.contact_note, name="conversation-contact-note"),
    path("contact/tags/", commands.contact_tags, name="conversation-contact-tags"),
    path("canned/", files.canned_responses, name="conversation-canned"),
    path("entries/", live.entries, name="conversation-entries"),
    path("header/", live.header, name="conversation-header"),
    path("orders/<int:order_pk>/", orders.order, name="conversation-order"),
]

urlpatterns = [
    path("", pages.root, name="root"),
    path("inbox/", pages.inbox_page, name="inbox"),
    path("inbox/nav/", live.nav, name="inbox-nav"),
    path("inbox/<str:kind>/", pages.inbox_page, name="inbox-view"),
    path("inbox/<str:kind>/<str:key>/", pages.inbox_page, name="inbox-view-key"),
    path("conversations/<int:pk>/", pages.conversation_page, name="conversation"),
    path("conversations/<int:pk>/", include(conversation_commands)),
    path("attachments/<str:token>/<str:filename>", files.attachment, name="attachment"),
]
