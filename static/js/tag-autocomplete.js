"use strict";
// Tag picker for the story form: suggests existing tags from the desk's
// autocomplete view and lets the editor add new ones with Enter or a comma.
{
    const $ = django.jQuery;

    function initTagAutocomplete(element) {
        $(element).select2({
            tags: true,
            tokenSeparators: [","],
            width: "100%",
            ajax: {
                url: element.dataset.url,
                dataType: "json",
                delay: 200,
                data: (params) => ({term: params.term || ""}),
            },
            createTag: (params) => {
                const term = params.term.trim();
                return term ? {id: term, text: term, newTag: true} : null;
            },
        });
    }

    $(function () {
        $(".tag-autocomplete").each((index, element) => initTagAutocomplete(element));
    });
}
